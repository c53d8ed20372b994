// The balances-and-payouts chart of the dossier: one inline SVG per currency. However long the history, the
// chart has at most kBuckets columns: balance observations are streamed in page-time order and each column
// keeps the last balance seen in it (and its lowest and highest, drawn as a thin bar, so a dip between two
// columns is not hidden); payouts are summed per column; a balance missing from its page marks its column in
// red. Memory is a few arrays of kBuckets, whatever the number of rows.
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "export/dossier_parts.h"
#include "export/escape.h"

namespace temoin::exporter::internal {

namespace {

constexpr int kBuckets = 480;
constexpr double kWidth = 800, kHeight = 260;
constexpr double kLeft = 78, kRight = 12, kTop = 12, kBottom = 34;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;

struct Column {
  bool has_balance = false;
  std::int64_t last = 0, low = 0, high = 0;
  std::int64_t paid = 0;
  bool missing = false;
};

std::string Num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

// A round step (1, 2 or 5 × 10^k minor units) such that four steps reach `max`.
std::int64_t NiceStep(std::int64_t max) {
  if (max <= 0) return 1;
  std::int64_t raw = (max + 3) / 4, magnitude = 1;
  while (magnitude * 10 <= raw) magnitude *= 10;
  for (std::int64_t m : {1, 2, 5, 10}) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

Status WriteChart(const Context& ctx, OutputFile& out, const std::string& currency, int exponent) {
  const auto& o = ctx.options;
  SQLite::Database& sql = ctx.db.sql();
  EpochMs t0 = 0, t1 = 0;
  {
    SQLite::Statement range(sql, R"sql(
      SELECT MIN(at_ms), MAX(at_ms) FROM (
        SELECT at_ms FROM balances WHERE platform = ?1 AND account = ?2 AND at_ms >= ?3 AND at_ms < ?4
          AND (currency = ?5 OR (missing = 1 AND currency IS NULL))
        UNION ALL
        SELECT at_ms FROM payouts WHERE platform = ?1 AND account = ?2 AND at_ms >= ?3 AND at_ms < ?4
          AND currency = ?5))sql");
    range.bind(1, o.platform);
    range.bind(2, o.account);
    range.bind(3, o.period.lo());
    range.bind(4, o.period.hi());
    range.bind(5, currency);
    if (!range.executeStep() || range.getColumn(0).isNull()) return Status::Ok();
    t0 = range.getColumn(0).getInt64();
    t1 = range.getColumn(1).getInt64();
  }
  auto bucket = [&](EpochMs at) -> int {
    if (t1 == t0) return kBuckets / 2;
    return static_cast<int>(static_cast<__int128>(at - t0) * (kBuckets - 1) / (t1 - t0));
  };
  std::vector<Column> columns(kBuckets);
  {
    SQLite::Statement q(sql,
                        "SELECT at_ms, amount_minor, missing FROM balances WHERE platform = ?1 AND account = ?2 "
                        "AND at_ms >= ?3 AND at_ms < ?4 AND (currency = ?5 OR (missing = 1 AND currency IS NULL)) "
                        "ORDER BY at_ms, seq");
    q.bind(1, o.platform);
    q.bind(2, o.account);
    q.bind(3, o.period.lo());
    q.bind(4, o.period.hi());
    q.bind(5, currency);
    while (q.executeStep()) {
      Column& c = columns[bucket(q.getColumn(0).getInt64())];
      if (q.getColumn(2).getInt() != 0) {
        c.missing = true;
        continue;
      }
      std::int64_t v = q.getColumn(1).getInt64();
      if (!c.has_balance) {
        c.low = c.high = v;
        c.has_balance = true;
      }
      c.last = v;
      c.low = std::min(c.low, v);
      c.high = std::max(c.high, v);
    }
  }
  {
    SQLite::Statement q(sql,
                        "SELECT at_ms, amount_minor FROM payouts WHERE platform = ?1 AND account = ?2 "
                        "AND at_ms >= ?3 AND at_ms < ?4 AND currency = ?5");
    q.bind(1, o.platform);
    q.bind(2, o.account);
    q.bind(3, o.period.lo());
    q.bind(4, o.period.hi());
    q.bind(5, currency);
    while (q.executeStep()) columns[bucket(q.getColumn(0).getInt64())].paid += q.getColumn(1).getInt64();
  }
  std::int64_t max = 0;
  for (const Column& c : columns) max = std::max({max, c.high, c.paid});
  std::int64_t step = NiceStep(max);
  std::int64_t top = step * 4;
  auto x_of = [&](int b) { return kLeft + kPlotW * b / (kBuckets - 1); };
  auto y_of = [&](std::int64_t v) { return kTop + kPlotH - kPlotH * static_cast<double>(v) / static_cast<double>(top); };

  const Strings& s = ctx.text;
  std::string cur = HtmlText(currency);
  out << "<figure class=\"chart\" data-currency=\"" << cur << "\">\n<h3>" << HtmlText(s.chart) << " (" << cur
      << ")</h3>\n";
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << Num(kWidth) << " " << Num(kHeight)
      << "\" role=\"img\" aria-labelledby=\"chart-" << cur << "-title\">\n<title id=\"chart-" << cur << "-title\">"
      << HtmlText(s.chart) << " (" << cur << ")</title>\n<desc>" << HtmlText(s.chart_desc) << "</desc>\n";
  // Grid and amounts.
  out << "<g font-size=\"11\" fill=\"#333\" stroke=\"none\">\n";
  for (int i = 0; i <= 4; ++i) {
    double y = y_of(step * i);
    out << "<line x1=\"" << Num(kLeft) << "\" y1=\"" << Num(y) << "\" x2=\"" << Num(kWidth - kRight) << "\" y2=\""
        << Num(y) << "\" stroke=\"#ddd\"/>\n<text x=\"" << Num(kLeft - 6) << "\" y=\"" << Num(y + 4)
        << "\" text-anchor=\"end\">" << FormatDecimal(s, step * i, exponent) << "</text>\n";
  }
  // Dates under the axis: the first and last observation and three between.
  for (int i = 0; i <= 4; ++i) {
    EpochMs at = t0 + (t1 - t0) * i / 4;
    double x = t1 == t0 ? x_of(kBuckets / 2) : kLeft + kPlotW * i / 4;
    const char* anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
    if (t1 == t0 && i != 2) continue;
    out << "<text x=\"" << Num(x) << "\" y=\"" << Num(kHeight - 12) << "\" text-anchor=\"" << (t1 == t0 ? "middle" : anchor)
        << "\">" << LocalTime(ctx.clock, at).substr(0, 10) << "</text>\n";
  }
  out << "</g>\n";
  // Balance missing: dashed red lines.
  for (int b = 0; b < kBuckets; ++b) {
    if (!columns[b].missing) continue;
    out << "<line class=\"missing\" x1=\"" << Num(x_of(b)) << "\" y1=\"" << Num(kTop) << "\" x2=\"" << Num(x_of(b))
        << "\" y2=\"" << Num(kTop + kPlotH) << "\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n";
  }
  // Payouts: bars.
  for (int b = 0; b < kBuckets; ++b) {
    if (columns[b].paid == 0) continue;
    double y = y_of(columns[b].paid);
    out << "<rect class=\"payout\" x=\"" << Num(x_of(b) - 2.5) << "\" y=\"" << Num(y) << "\" width=\"5\" height=\""
        << Num(kTop + kPlotH - y) << "\" fill=\"#2e8b57\"/>\n";
  }
  // Balances: the lowest-to-highest bar of each column, then a step line through the last value of each.
  std::string path;
  for (int b = 0; b < kBuckets; ++b) {
    const Column& c = columns[b];
    if (!c.has_balance) continue;
    if (c.low != c.high) {
      out << "<line x1=\"" << Num(x_of(b)) << "\" y1=\"" << Num(y_of(c.low)) << "\" x2=\"" << Num(x_of(b)) << "\" y2=\""
          << Num(y_of(c.high)) << "\" stroke=\"#1f5fa8\" stroke-opacity=\"0.45\" stroke-width=\"2\"/>\n";
    }
    if (path.empty()) {
      path = "M" + Num(x_of(b)) + " " + Num(y_of(c.last));
    } else {
      path += " H" + Num(x_of(b)) + " V" + Num(y_of(c.last));
    }
  }
  if (!path.empty()) {
    out << "<path class=\"balance\" d=\"" << path << "\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>\n";
  }
  out << "<line x1=\"" << Num(kLeft) << "\" y1=\"" << Num(kTop + kPlotH) << "\" x2=\"" << Num(kWidth - kRight)
      << "\" y2=\"" << Num(kTop + kPlotH) << "\" stroke=\"#333\"/>\n</svg>\n";
  out << "<figcaption class=\"legend\"><span><span class=\"sw\" style=\"background:#1f5fa8\"></span>"
      << HtmlText(s.legend_balance) << "</span><span><span class=\"sw\" style=\"background:#2e8b57\"></span>"
      << HtmlText(s.legend_payout) << "</span><span><span class=\"sw\" style=\"background:#c0392b\"></span>"
      << HtmlText(s.legend_missing) << "</span></figcaption>\n</figure>\n";
  return Status::Ok();
}

}  // namespace

Status WriteCharts(const Context& ctx, OutputFile& out) {
  const Strings& s = ctx.text;
  out << "<section id=\"chart\">\n<h2>" << HtmlText(s.chart) << "</h2>\n";
  bool any = false;
  for (const auto& [currency, c] : ctx.totals.currencies) {
    if (c.balances == 0 && c.payouts == 0) continue;
    TEMOIN_RETURN_IF_ERROR(WriteChart(ctx, out, currency, c.exponent));
    any = true;
  }
  if (!any) out << "<p>" << HtmlText(s.no_chart) << "</p>\n";
  out << "</section>\n";
  return Status::Ok();
}

}  // namespace temoin::exporter::internal
