// dossier.html: one self-contained page, printable, with no external asset (no font, script, image or style
// sheet is fetched: the page works offline and prints to PDF as it is). Every string that came from a
// platform's page goes through HtmlText (export/escape.h), inline ones inside <bdi> so that right-to-left text
// cannot reorder what surrounds it. The only line that changes between two exports of the same data is the
// one that says when the dossier was made.
#include <SQLiteCpp/Statement.h>

#include "export/dossier_parts.h"
#include "export/escape.h"
#include "protocol/extension_identity.h"
#include "protocol/timestamp.h"
#include "store/event_log.h"

namespace temoin::exporter::internal {

namespace {

// Page-derived text inside a sentence or a heading.
std::string Inline(std::string_view text) { return "<bdi>" + HtmlText(text) + "</bdi>"; }
// Our own words (they hold apostrophes and, in the verification recipe, quotes).
std::string Words(std::string_view text) { return HtmlText(text); }

constexpr char kStyle[] = R"css(
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: #111;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #333; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
.subtitle { color: #444; margin-top: 0; }
dl.who { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 1rem 0; }
dl.who dt { font-weight: 600; }
dl.who dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eee; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.totals th { width: 45%; background: #f5f5f5; }
.hash { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
pre { background: #f3f3f3; padding: 0.5rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85em; }
.warning { color: #a00; font-weight: 600; }
.ok { color: #060; }
.muted { color: #555; }
.chart svg { width: 100%; height: auto; border: 1px solid #ccc; }
.legend span { margin-right: 1.2rem; }
.sw { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: -0.1em; margin-right: 0.3em; }
footer { margin-top: 2rem; color: #555; font-size: 0.85em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, svg, pre { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

std::string PeriodText(const Context& ctx) {
  const Strings& s = ctx.text;
  const Period& p = ctx.options.period;
  if (p.since && p.until) return Fill(s.period_between, {LocalTime(ctx.clock, *p.since), LocalTime(ctx.clock, *p.until)});
  if (p.since) return Fill(s.period_since, {LocalTime(ctx.clock, *p.since)});
  if (p.until) return Fill(s.period_until, {LocalTime(ctx.clock, *p.until)});
  return s.period_all;
}

void WriteHeader(const Context& ctx, OutputFile& out, const std::string& latest_state) {
  const Strings& s = ctx.text;
  const auto& o = ctx.options;
  out << "<header>\n<h1>" << Words(s.doc_title) << "</h1>\n<p class=\"subtitle\">" << Words(s.subtitle) << "</p>\n";
  out << "<dl class=\"who\">\n";
  out << "<dt>" << Words(s.account) << "</dt><dd data-field=\"account\">" << Inline(o.account) << "</dd>\n";
  out << "<dt>" << Words(s.platform) << "</dt><dd data-field=\"platform\">" << Inline(o.platform) << "</dd>\n";
  out << "<dt>" << Words(s.period) << "</dt><dd data-field=\"period\">" << Words(PeriodText(ctx)) << "</dd>\n";
  if (!latest_state.empty()) {
    out << "<dt>" << Words(s.latest_state) << "</dt><dd data-field=\"state\">" << Words(StateName(s, latest_state))
        << "</dd>\n";
  }
  out << "<dt>" << Words(s.generated) << "</dt>\n";
  // The one line that differs between two exports of the same data.
  out << "<dd data-field=\"generated\">" << protocol::FormatUtc(ctx.generated_at) << "</dd>\n";
  out << "</dl>\n<p>";
  if (ctx.totals.events_in_period == 0) {
    out << Words(s.no_events);
  } else {
    out << Fill(Words(s.events_seen), {FormatCount(s, ctx.totals.events_in_period), Inline(ctx.totals.first_event_at),
                                       Inline(ctx.totals.last_event_at)});
  }
  out << "</p>\n</header>\n";
}

void TotalRow(OutputFile& out, std::string_view label, std::string_view key, const std::string& value_html) {
  out << "<tr><th scope=\"row\">" << Words(label) << "</th><td data-total=\"" << key << "\">" << value_html
      << "</td></tr>\n";
}

void WriteTotals(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  const Totals& t = ctx.totals;
  out << "<section id=\"totals\">\n<h2>" << Words(s.totals) << "</h2>\n<table class=\"totals\">\n<tbody>\n";
  TotalRow(out, s.tasks_done, "tasks", FormatCount(s, t.tasks));
  TotalRow(out, s.tasks_abandoned, "tasks_abandoned", FormatCount(s, t.abandoned));
  TotalRow(out, s.hours_tasks, "task_hours", FormatHours(t.task_seconds));
  TotalRow(out, s.hours_platform, "platform_hours", FormatHours(t.platform_seconds));
  bool any_money = false;
  for (const auto& [currency, c] : t.currencies) {
    std::string key_suffix = "." + HtmlText(currency);
    if (c.earned_minor > 0 || c.estimated_minor > 0) {
      std::string value = FormatMoney(s, c.earned_minor, c.exponent, HtmlText(currency));
      if (c.estimated_minor > 0) {
        value += " <span class=\"muted\">(" +
                 Fill(Words(s.estimated_part), {FormatMoney(s, c.estimated_minor, c.exponent, HtmlText(currency))}) +
                 ")</span>";
      }
      TotalRow(out, s.earned, "earned" + key_suffix, value);
      any_money = true;
    }
    if (c.payouts > 0) {
      TotalRow(out, s.paid_out, "paid_out" + key_suffix,
               FormatMoney(s, c.paid_minor, c.exponent, HtmlText(currency)) + " <span class=\"muted\">(" +
                   Fill(Words(s.payouts_count), {FormatCount(s, c.payouts)}) + ")</span>");
      any_money = true;
    }
    if (c.balance_minor) {
      std::string value = FormatMoney(s, *c.balance_minor, c.exponent, HtmlText(currency));
      if (c.pending_minor && *c.pending_minor > 0) {
        value += ", " + Fill(Words(s.pending), {FormatMoney(s, *c.pending_minor, c.exponent, HtmlText(currency))});
      }
      value += " <span class=\"muted\">(" + Fill(Words(s.seen_on), {Inline(c.balance_at)}) + ", seq " +
               std::to_string(c.balance_seq) + ")</span>";
      TotalRow(out, s.balance_last, "balance" + key_suffix, value);
      any_money = true;
    }
  }
  if (t.balance_missing > 0) TotalRow(out, s.balance_missing, "balance_missing", FormatCount(s, t.balance_missing));
  out << "</tbody>\n</table>\n";
  if (!any_money) out << "<p>" << Words(s.no_money) << "</p>\n";
  out << "</section>\n";
}

void WriteAlerts(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  out << "<section id=\"alerts\">\n<h2>" << Words(s.alerts) << "</h2>\n";
  SQLite::Statement q(ctx.db.sql(),
                      "SELECT raised_at, severity, kind, message, state, evidence FROM alerts "
                      "WHERE platform = ? AND account = ? AND raised_ms >= ? AND raised_ms < ? ORDER BY raised_ms, id");
  q.bind(1, ctx.options.platform);
  q.bind(2, ctx.options.account);
  q.bind(3, ctx.options.period.lo());
  q.bind(4, ctx.options.period.hi());
  bool any = false;
  while (q.executeStep()) {
    if (!any) {
      out << "<table>\n<thead><tr><th>" << Words(s.col_raised) << "</th><th>" << Words(s.col_severity) << "</th><th>"
          << Words(s.col_kind) << "</th><th>" << Words(s.col_message) << "</th><th>" << Words(s.col_alert_state)
          << "</th><th>" << Words(s.col_evidence) << "</th></tr></thead>\n<tbody>\n";
      any = true;
    }
    out << "<tr><td class=\"time\">" << HtmlText(q.getColumn(0).getString()) << "</td><td>"
        << HtmlText(q.getColumn(1).getString()) << "</td><td>" << HtmlText(q.getColumn(2).getString()) << "</td><td>"
        << HtmlText(q.getColumn(3).getString()) << "</td><td>" << HtmlText(q.getColumn(4).getString()) << "</td><td>"
        << HtmlText(q.getColumn(5).getString()) << "</td></tr>\n";
  }
  if (any) {
    out << "</tbody>\n</table>\n";
  } else {
    out << "<p>" << Words(s.no_alerts) << "</p>\n";
  }
  out << "</section>\n";
}

// Status reports in page-time order; a row only where the state (or its detail) changes. Found through the
// statuses table (one row per account.status event), the text as the log holds it.
std::string WriteStatusChanges(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  std::optional<std::string> previous_state, previous_detail;
  {
    SQLite::Statement before(ctx.db.sql(),
                             "SELECT json_extract(e.body, '$.state'), json_extract(e.body, '$.detail') "
                             "FROM statuses s CROSS JOIN events e ON e.seq = s.seq "
                             "WHERE s.platform = ? AND s.account = ? AND s.at_ms < ? "
                             "ORDER BY s.at_ms DESC, s.seq DESC LIMIT 1");
    before.bind(1, ctx.options.platform);
    before.bind(2, ctx.options.account);
    before.bind(3, ctx.options.period.lo());
    if (before.executeStep()) {
      previous_state = before.getColumn(0).getString();
      if (!before.getColumn(1).isNull()) previous_detail = before.getColumn(1).getString();
    }
  }
  out << "<section id=\"status\">\n<h2>" << Words(s.status_changes) << "</h2>\n";
  SQLite::Statement q(ctx.db.sql(),
                      "SELECT e.seq, e.at, json_extract(e.body, '$.state'), json_extract(e.body, '$.detail') "
                      "FROM statuses s CROSS JOIN events e ON e.seq = s.seq "
                      "WHERE s.platform = ? AND s.account = ? AND s.at_ms >= ? AND s.at_ms < ? "
                      "ORDER BY s.at_ms, s.seq");
  q.bind(1, ctx.options.platform);
  q.bind(2, ctx.options.account);
  q.bind(3, ctx.options.period.lo());
  q.bind(4, ctx.options.period.hi());
  bool any = false;
  std::string latest;
  while (q.executeStep()) {
    std::string state = q.getColumn(2).isNull() ? "" : q.getColumn(2).getString();
    std::optional<std::string> detail;
    if (!q.getColumn(3).isNull()) detail = q.getColumn(3).getString();
    latest = state;
    if (previous_state == state && previous_detail == detail) continue;
    previous_state = state;
    previous_detail = detail;
    if (!any) {
      out << "<table>\n<thead><tr><th>" << Words(s.col_seen_at) << "</th><th>" << Words(s.col_state) << "</th><th>"
          << Words(s.col_detail) << "</th><th class=\"num\">" << Words(s.col_seq) << "</th></tr></thead>\n<tbody>\n";
      any = true;
    }
    out << "<tr><td class=\"time\">" << HtmlText(q.getColumn(1).getString()) << "</td><td>"
        << Words(StateName(s, state)) << "</td><td>" << (detail ? HtmlText(*detail) : "") << "</td><td class=\"num\">"
        << std::to_string(q.getColumn(0).getInt64()) << "</td></tr>\n";
  }
  if (any) {
    out << "</tbody>\n</table>\n";
  } else {
    out << "<p>" << Words(s.no_status) << "</p>\n";
  }
  out << "</section>\n";
  return latest;
}

// The latest status of the period, for the header (read before the page is written).
std::string LatestState(const Context& ctx) {
  SQLite::Statement q(ctx.db.sql(),
                      "SELECT json_extract(e.body, '$.state') FROM statuses s CROSS JOIN events e ON e.seq = s.seq "
                      "WHERE s.platform = ? AND s.account = ? AND s.at_ms >= ? AND s.at_ms < ? "
                      "ORDER BY s.at_ms DESC, s.seq DESC LIMIT 1");
  q.bind(1, ctx.options.platform);
  q.bind(2, ctx.options.account);
  q.bind(3, ctx.options.period.lo());
  q.bind(4, ctx.options.period.hi());
  if (q.executeStep() && !q.getColumn(0).isNull()) return q.getColumn(0).getString();
  return "";
}

void WritePayoutTable(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  out << "<section id=\"payouts\">\n<h2>" << Words(s.payouts) << "</h2>\n";
  SQLite::Statement q(ctx.db.sql(),
                      "SELECT seq, at, currency, amount_minor, method, reference FROM payouts "
                      "WHERE platform = ? AND account = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms, seq");
  q.bind(1, ctx.options.platform);
  q.bind(2, ctx.options.account);
  q.bind(3, ctx.options.period.lo());
  q.bind(4, ctx.options.period.hi());
  bool any = false;
  while (q.executeStep()) {
    if (!any) {
      out << "<table>\n<thead><tr><th>" << Words(s.col_seen_at) << "</th><th class=\"num\">" << Words(s.col_amount)
          << "</th><th>" << Words(s.col_method) << "</th><th>" << Words(s.col_reference) << "</th><th class=\"num\">"
          << Words(s.col_seq) << "</th></tr></thead>\n<tbody>\n";
      any = true;
    }
    std::string currency = q.getColumn(2).getString();
    int exponent = ctx.totals.currencies.count(currency) ? ctx.totals.currencies.at(currency).exponent : 2;
    out << "<tr><td class=\"time\">" << HtmlText(q.getColumn(1).getString()) << "</td><td class=\"num\">"
        << FormatMoney(s, q.getColumn(3).getInt64(), exponent, HtmlText(currency)) << "</td><td>"
        << (q.getColumn(4).isNull() ? "" : HtmlText(q.getColumn(4).getString())) << "</td><td>"
        << (q.getColumn(5).isNull() ? "" : HtmlText(q.getColumn(5).getString())) << "</td><td class=\"num\">"
        << std::to_string(q.getColumn(0).getInt64()) << "</td></tr>\n";
  }
  if (any) {
    out << "</tbody>\n</table>\n";
  } else {
    out << "<p>" << Words(s.no_payouts) << "</p>\n";
  }
  out << "</section>\n";
}

void WriteTaskTable(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  out << "<section id=\"tasks\">\n<h2>" << Words(s.tasks) << "</h2>\n";
  TaskReader tasks(ctx);
  bool any = false;
  std::string row;
  TaskRow t;
  while (tasks.Next(&t)) {
    if (!any) {
      out << "<table class=\"tasks\">\n<thead><tr><th>" << Words(s.col_start) << "</th><th>" << Words(s.col_submit)
          << "</th><th class=\"num\">" << Words(s.col_duration) << "</th><th>" << Words(s.col_project) << "</th><th>"
          << Words(s.col_title) << "</th><th class=\"num\">" << Words(s.col_pay) << "</th><th>" << Words(s.col_task)
          << "</th></tr></thead>\n<tbody>\n";
      any = true;
    }
    row.clear();
    row += "<tr><td class=\"time\">";
    if (t.started_at) row += HtmlText(*t.started_at);
    row += "</td><td class=\"time\">";
    if (t.submitted_at) {
      row += HtmlText(*t.submitted_at);
    } else {
      row += "<span class=\"muted\">";
      row += Words(t.abandoned ? s.task_abandoned : s.task_open);
      row += "</span>";
    }
    row += "</td><td class=\"num\">";
    if (t.seconds) row += FormatClock(*t.seconds);
    row += "</td><td>";
    if (t.project) row += HtmlText(*t.project);
    row += "</td><td>";
    if (t.title) row += HtmlText(*t.title);
    row += "</td><td class=\"num\">";
    if (t.pay_minor) {
      auto it = ctx.totals.currencies.find(t.pay_currency);
      row += FormatMoney(s, *t.pay_minor, it == ctx.totals.currencies.end() ? 2 : it->second.exponent,
                         HtmlText(t.pay_currency));
      if (t.pay_estimated) {
        row += " <span class=\"muted\">";
        row += Words(s.estimated_mark);
        row += "</span>";
      }
    }
    row += "</td><td>";
    row += HtmlText(t.task_id);
    row += "</td></tr>\n";
    out << row;
  }
  if (any) {
    out << "</tbody>\n</table>\n";
  } else {
    out << "<p>" << Words(s.no_tasks) << "</p>\n";
  }
  out << "</section>\n";
}

void WriteVerify(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  const ChainSlice& c = ctx.chain;
  out << "<section id=\"verify\">\n<h2>" << Words(s.verify) << "</h2>\n<p>" << Words(s.verify_intro) << "</p>\n";
  if (c.events > 0) {
    out << "<p>" << Words(Fill(s.verify_range, {FormatCount(s, c.events), std::to_string(c.first_seq),
                                                std::to_string(c.last_seq)}))
        << "</p>\n";
  }
  out << "<p>" << Words(s.verify_head) << ":</p>\n<p class=\"hash\" data-field=\"head_hash\">" << HtmlText(c.head_hash)
      << "</p>\n";
  if (c.start_after_seq == 0) {
    out << "<p>" << Words(s.verify_genesis) << "</p>\n";
  } else {
    out << "<p>" << Words(Fill(s.verify_slice, {std::to_string(c.start_after_seq)}))
        << "</p>\n<p class=\"hash\" data-field=\"start_hash\">" << HtmlText(c.start_hash) << "</p>\n";
  }
  if (c.outside_period > 0) {
    out << "<p>" << Words(Fill(s.verify_outside, {FormatCount(s, c.outside_period)})) << "</p>\n";
  }
  if (c.chain_head_seq != c.last_seq || c.start_after_seq != 0) {
    out << "<p>" << Words(Fill(s.verify_chain_head, {FormatCount(s, c.chain_events), std::to_string(c.chain_head_seq)}))
        << "</p>\n<p class=\"hash\" data-field=\"chain_head_hash\">" << HtmlText(c.chain_head_hash) << "</p>\n";
  }
  if (c.broken_seq == 0) {
    out << "<p class=\"ok\">" << Words(s.chain_ok) << "</p>\n";
  } else {
    out << "<p class=\"warning\">" << Words(Fill(s.chain_broken, {std::to_string(c.broken_seq), c.broken_reason}))
        << "</p>\n";
  }
  out << "<p>" << Words(s.verify_command) << "</p>\n<pre>temoin verify --file events.jsonl</pre>\n";
  out << "<p>" << Words(s.verify_hand) << "</p>\n";
  out << "<pre>" << HtmlText(
                        "line=$(sed -n 1p events.jsonl)   # the line to check: 1, 2, 3...\n"
                        "{ printf '%s' \"$line\" | jq -j .prev_hash\n"
                        "  printf '%s' \"$line\" | jq -cSj '{event, received_at, seq}'; } | sha256sum\n"
                        "printf '%s' \"$line\" | jq -r .hash   # must be the same")
      << "</pre>\n";
  out << "<p>" << Words(s.verify_keep) << "</p>\n</section>\n";
}

void WriteFiles(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  out << "<section id=\"files\">\n<h2>" << Words(s.files) << "</h2>\n<ul>\n";
  const std::pair<const char*, const char*> files[] = {{"dossier.html", s.file_dossier},
                                                        {"tasks.csv", s.file_tasks},
                                                        {"balances.csv", s.file_balances},
                                                        {"payouts.csv", s.file_payouts},
                                                        {"events.jsonl", s.file_events}};
  for (const auto& [name, what] : files) {
    out << "<li><span class=\"hash\">" << name << "</span>: " << Words(what) << "</li>\n";
  }
  out << "</ul>\n</section>\n";
}

}  // namespace

Status WriteHtml(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  out << "<!DOCTYPE html>\n<html lang=\"" << s.code << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      << "<title>" << Words(s.doc_title) << " — " << HtmlText(ctx.options.platform) << "/"
      << HtmlText(ctx.options.account) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  WriteHeader(ctx, out, LatestState(ctx));
  WriteTotals(ctx, out);
  TEMOIN_RETURN_IF_ERROR(WriteCharts(ctx, out));
  WriteAlerts(ctx, out);
  WriteStatusChanges(ctx, out);
  WritePayoutTable(ctx, out);
  WriteTaskTable(ctx, out);
  WriteVerify(ctx, out);
  WriteFiles(ctx, out);
  out << "<footer>\n<p>" << Words(Fill(s.footer, {protocol::HostVersion()})) << " " << Words(s.times_note)
      << "</p>\n</footer>\n</body>\n</html>\n";
  return Status::Ok();
}

}  // namespace temoin::exporter::internal
