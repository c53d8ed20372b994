#include "export/dossier.h"

#include <SQLiteCpp/Statement.h>

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <system_error>

#include "export/dossier_parts.h"
#include "export/escape.h"
#include "protocol/money.h"
#include "protocol/timestamp.h"
#include "store/event_log.h"
#include "store/verify.h"

namespace temoin::exporter {

namespace fs = std::filesystem;
using internal::Context;
using internal::TaskRow;

namespace internal {

namespace {
std::optional<std::string> OptText(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::string>(c.getString());
}
std::optional<std::int64_t> OptInt(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::int64_t>(c.getInt64());
}

SQLite::Statement TasksQuery(const Context& ctx) {
  SQLite::Statement q(ctx.db.sql(),
                      "SELECT task_id, project, title, url, started_ms, started_at, submitted_ms, submitted_at, "
                      "abandoned_ms, duration_s, earned_minor, earned_currency, rate_minor, rate_currency, "
                      "rate_per_hour, start_seq, submit_seq, counted_ms FROM tasks "
                      "WHERE platform = ? AND account = ? AND counted_ms >= ? AND counted_ms < ? "
                      "ORDER BY counted_ms");
  q.bind(1, ctx.options.platform);
  q.bind(2, ctx.options.account);
  q.bind(3, ctx.options.period.lo());
  q.bind(4, ctx.options.period.hi());
  return q;
}

TaskRow ReadTask(SQLite::Statement& q) {
  TaskRow t;
  t.task_id = q.getColumn(0).getString();
  t.project = OptText(q.getColumn(1));
  t.title = OptText(q.getColumn(2));
  t.url = OptText(q.getColumn(3));
  auto started_ms = OptInt(q.getColumn(4));
  t.started_at = OptText(q.getColumn(5));
  auto submitted_ms = OptInt(q.getColumn(6));
  t.submitted_at = OptText(q.getColumn(7));
  t.abandoned_ms = OptInt(q.getColumn(8));
  auto duration = OptInt(q.getColumn(9));
  t.submitted = submitted_ms.has_value();
  t.abandoned = t.abandoned_ms.has_value() && !t.submitted;
  if (duration) {
    t.seconds = duration;
  } else if (started_ms && submitted_ms && *submitted_ms >= *started_ms) {
    t.seconds = (*submitted_ms - *started_ms) / 1000;
  }
  auto earned = OptInt(q.getColumn(10));
  auto earned_currency = OptText(q.getColumn(11));
  t.rate_minor = OptInt(q.getColumn(12));
  t.rate_currency = OptText(q.getColumn(13));
  if (auto per_hour = OptInt(q.getColumn(14))) t.rate_per_hour = *per_hour == 1;
  t.start_seq = OptInt(q.getColumn(15));
  t.submit_seq = OptInt(q.getColumn(16));
  t.counted_ms = q.getColumn(17).getInt64();
  if (earned && earned_currency) {
    t.pay_minor = earned;
    t.pay_currency = *earned_currency;
  } else if (t.submitted && t.rate_minor && t.rate_currency && t.rate_per_hour) {
    // The summary's estimate (docs/protocol.md): per hour × time on the task, or the rate of one task.
    t.pay_minor = *t.rate_per_hour
                      ? static_cast<std::int64_t>(static_cast<__int128>(*t.rate_minor) * t.seconds.value_or(0) / 3600)
                      : *t.rate_minor;
    t.pay_currency = *t.rate_currency;
    t.pay_estimated = true;
  }
  return t;
}

}  // namespace

TaskReader::TaskReader(const Context& ctx) : q_(TasksQuery(ctx)) {}

bool TaskReader::Next(TaskRow* task) {
  if (next_ < tied_.size()) {
    *task = std::move(tied_[next_++]);
    return true;
  }
  tied_.clear();
  next_ = 0;
  if (ahead_) {
    tied_.push_back(std::move(*ahead_));
    ahead_.reset();
  }
  while (!done_) {
    if (!q_.executeStep()) {
      done_ = true;
      break;
    }
    TaskRow row = ReadTask(q_);
    if (!tied_.empty() && row.counted_ms != tied_.front().counted_ms) {
      ahead_ = std::move(row);
      break;
    }
    tied_.push_back(std::move(row));
  }
  if (tied_.empty()) return false;
  // Byte order, as SQLite's BINARY collation compares task_id (std::string compares as unsigned char).
  std::sort(tied_.begin(), tied_.end(), [](const TaskRow& a, const TaskRow& b) { return a.task_id < b.task_id; });
  *task = std::move(tied_[next_++]);
  return true;
}

std::string LocalTime(const Clock& clock, EpochMs at) {
  return protocol::FormatWithOffset(at, clock.UtcOffsetSeconds(at));
}

}  // namespace internal

namespace {

constexpr char kCsvBom[] = "\xEF\xBB\xBF";
constexpr char kCrLf[] = "\r\n";

int ExponentOf(const std::string& currency) { return protocol::CurrencyExponent(currency).value_or(2); }

internal::CurrencyTotals& CurrencyOf(Context& ctx, const std::string& currency) {
  auto [it, inserted] = ctx.totals.currencies.try_emplace(currency);
  if (inserted) it->second.exponent = ExponentOf(currency);
  return it->second;
}

std::string Amount(std::int64_t minor, const std::string& currency) {
  return protocol::FormatAmount(minor, ExponentOf(currency));
}

// ---- events.jsonl ------------------------------------------------------------------------------------------

// One line of events.jsonl, appended to *line (reused from row to row: 215k lines in export_bench).
void AppendJsonlLine(const store::EventView& e, bool body_is_object, std::string* line) {
  auto field = [line](std::string_view name, std::string_view value) {
    *line += name;
    AppendJsonText(line, value);
  };
  *line += "{\"seq\":";
  *line += std::to_string(e.seq);
  field(",\"id\":", e.id);
  field(",\"type\":", e.type);
  field(",\"platform\":", e.platform);
  field(",\"account\":", e.account);
  field(",\"at\":", e.at);
  field(",\"received_at\":", e.received_at);
  // The stored body is canonical JSON already: spliced in byte for byte, so the hash re-checks on these very
  // bytes. A body that is not a JSON object (a damaged database) is written as a string, and fails verification.
  *line += ",\"event\":";
  if (body_is_object) {
    *line += e.body;
  } else {
    AppendJsonText(line, e.body);
  }
  field(",\"prev_hash\":", e.prev_hash);
  field(",\"hash\":", e.hash);
  *line += "}\n";
}

// A text column as a view, valid until the statement steps (no copy per column and row).
std::string_view View(const SQLite::Column& c) {
  const char* text = c.getText();
  return std::string_view(text, static_cast<std::size_t>(c.getBytes()));
}

Status WriteEvents(Context& ctx, OutputFile& out) {
  const auto& o = ctx.options;
  SQLite::Database& sql = ctx.db.sql();
  ChainSlice& chain = ctx.chain;
  {
    // The account's events through its order in the log (events_of_account): the catch-up that runs before an
    // export has placed every one of them.
    SQLite::Statement head(sql, "SELECT COUNT(*), COALESCE(MAX(seq), 0) FROM events_of_account WHERE platform = ? "
                                "AND account = ?");
    head.bind(1, o.platform);
    head.bind(2, o.account);
    head.executeStep();
    chain.chain_events = head.getColumn(0).getInt64();
    chain.chain_head_seq = head.getColumn(1).getInt64();
  }
  if (chain.chain_events == 0) {
    return Status(Code::kNotFound, "no event is recorded for the account " + o.platform + "/" + o.account, "account");
  }
  {
    SQLite::Statement head(sql, "SELECT hash FROM events WHERE seq = ?");
    head.bind(1, chain.chain_head_seq);
    if (head.executeStep()) chain.chain_head_hash = head.getColumn(0).getString();
  }
  // The run of the chain that covers the period: from the first to the last link with a page time in it.
  std::int64_t first = 0, last = 0;
  std::int64_t first_ms = 0, last_ms = 0;
  {
    SQLite::Statement range(sql,
                            "SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0), COUNT(*), MIN(at_ms), MAX(at_ms) "
                            "FROM events_of_account WHERE platform = ? AND account = ? AND at_ms >= ? AND at_ms < ?");
    range.bind(1, o.platform);
    range.bind(2, o.account);
    range.bind(3, o.period.lo());
    range.bind(4, o.period.hi());
    range.executeStep();
    first = range.getColumn(0).getInt64();
    last = range.getColumn(1).getInt64();
    ctx.totals.events_in_period = range.getColumn(2).getInt64();
    first_ms = range.getColumn(3).isNull() ? 0 : range.getColumn(3).getInt64();
    last_ms = range.getColumn(4).isNull() ? 0 : range.getColumn(4).getInt64();
  }
  chain.start_hash = store::kGenesisHash;
  if (first > 0) {
    SQLite::Statement before(sql,
                             "SELECT o.seq, e.hash FROM events_of_account o CROSS JOIN events e ON e.seq = o.seq "
                             "WHERE o.platform = ? AND o.account = ? AND o.seq < ? ORDER BY o.seq DESC LIMIT 1");
    before.bind(1, o.platform);
    before.bind(2, o.account);
    before.bind(3, first);
    if (before.executeStep()) {
      chain.start_after_seq = before.getColumn(0).getInt64();
      chain.start_hash = before.getColumn(1).getString();
    }
    // The first and last page times of the period's events, as the pages wrote them: those of the events at the
    // range's earliest and latest page time (the first seq of the one, the last of the other).
    auto page_time_at = [&](EpochMs at_ms, const char* seq_order) -> std::string {
      SQLite::Statement q(sql, std::string("SELECT e.at FROM events_of_account o CROSS JOIN events e ON e.seq = o.seq "
                                           "WHERE o.platform = ? AND o.account = ? AND o.at_ms = ? ORDER BY o.seq ") +
                                   seq_order + " LIMIT 1");
      q.bind(1, o.platform);
      q.bind(2, o.account);
      q.bind(3, at_ms);
      return q.executeStep() ? q.getColumn(0).getString() : std::string();
    };
    ctx.totals.first_event_at = page_time_at(first_ms, "ASC");
    ctx.totals.last_event_at = page_time_at(last_ms, "DESC");
  }
  chain.head_hash = chain.start_hash;
  if (first == 0) return Status::Ok();

  SQLite::Statement q(sql,
                      "SELECT e.seq, e.id, e.type, e.platform, e.account, e.at, e.at_ms, e.received_at, e.body, "
                      "e.prev_hash, e.hash FROM events_of_account o CROSS JOIN events e ON e.seq = o.seq "
                      "WHERE o.platform = ? AND o.account = ? AND o.seq >= ? AND o.seq <= ? ORDER BY o.seq");
  q.bind(1, o.platform);
  q.bind(2, o.account);
  q.bind(3, first);
  q.bind(4, last);
  std::string expected = chain.start_hash;
  std::string line;
  while (q.executeStep()) {
    // Columns are read in order, each text's bytes right after its pointer, as SQLite requires.
    store::EventView e;
    e.seq = q.getColumn(0).getInt64();
    e.id = View(q.getColumn(1));
    e.type = View(q.getColumn(2));
    e.platform = View(q.getColumn(3));
    e.account = View(q.getColumn(4));
    e.at = View(q.getColumn(5));
    EpochMs at_ms = q.getColumn(6).getInt64();
    e.received_at = View(q.getColumn(7));
    e.body = View(q.getColumn(8));
    e.prev_hash = View(q.getColumn(9));
    e.hash = View(q.getColumn(10));
    std::string reason = store::CheckLink(e, expected);
    if (!reason.empty() && chain.broken_seq == 0) {
      chain.broken_seq = e.seq;
      chain.broken_reason = reason;
    }
    bool body_is_object = !e.body.empty() && e.body.front() == '{' &&
                          reason != "its body is not a JSON object";
    line.clear();
    AppendJsonlLine(e, body_is_object, &line);
    out << line;
    if (chain.events == 0) chain.first_seq = e.seq;
    chain.last_seq = e.seq;
    ++chain.events;
    if (at_ms < o.period.lo() || at_ms >= o.period.hi()) ++chain.outside_period;
    expected.assign(e.hash);
  }
  chain.head_hash = expected;
  return Status::Ok();
}

// ---- tasks.csv -----------------------------------------------------------------------------------------------

Status WriteTasks(Context& ctx, OutputFile& out, std::int64_t* rows) {
  out << kCsvBom
      << "task_id,status,project,title,url,started_at,submitted_at,abandoned_at,duration_s,earned,currency,"
         "earned_estimated,rate,rate_currency,rate_per,start_seq,submit_seq"
      << kCrLf;
  internal::TaskReader tasks(ctx);
  TaskRow t;
  while (tasks.Next(&t)) {
    ++*rows;
    if (t.abandoned) {
      ++ctx.totals.abandoned;
    } else {
      ++ctx.totals.tasks;
      if (t.submitted) ctx.totals.task_seconds += t.seconds.value_or(0);
    }
    if (t.pay_minor && !t.abandoned) {
      auto& c = CurrencyOf(ctx, t.pay_currency);
      c.earned_minor += *t.pay_minor;
      if (t.pay_estimated) c.estimated_minor += *t.pay_minor;
    }
    std::string line;
    line += CsvText(t.task_id) + ",";
    line += std::string(t.submitted ? "submitted" : t.abandoned ? "abandoned" : "started") + ",";
    line += (t.project ? CsvText(*t.project) : "") + ",";
    line += (t.title ? CsvText(*t.title) : "") + ",";
    line += (t.url ? CsvText(*t.url) : "") + ",";
    line += (t.started_at ? CsvValue(*t.started_at) : "") + ",";
    line += (t.submitted_at ? CsvValue(*t.submitted_at) : "") + ",";
    line += (t.abandoned_ms ? protocol::FormatUtc(*t.abandoned_ms) : "") + ",";
    line += (t.seconds ? std::to_string(*t.seconds) : "") + ",";
    line += (t.pay_minor ? Amount(*t.pay_minor, t.pay_currency) : "") + ",";
    line += (t.pay_minor ? CsvValue(t.pay_currency) : "") + ",";
    line += std::string(t.pay_minor ? (t.pay_estimated ? "true" : "false") : "") + ",";
    line += (t.rate_minor && t.rate_currency ? Amount(*t.rate_minor, *t.rate_currency) : "") + ",";
    line += (t.rate_currency ? CsvValue(*t.rate_currency) : "") + ",";
    line += std::string(t.rate_per_hour ? (*t.rate_per_hour ? "hour" : "task") : "") + ",";
    line += (t.start_seq ? std::to_string(*t.start_seq) : "") + ",";
    line += (t.submit_seq ? std::to_string(*t.submit_seq) : "");
    out << line << kCrLf;
  }
  return Status::Ok();
}

// ---- balances.csv --------------------------------------------------------------------------------------------

Status WriteBalances(Context& ctx, OutputFile& out) {
  const auto& o = ctx.options;
  out << kCsvBom << "seq,at,currency,balance,pending,missing,detail" << kCrLf;
  SQLite::Statement q(ctx.db.sql(),
                      "SELECT b.seq, b.at, b.at_ms, b.currency, b.amount_minor, b.pending_minor, b.missing, "
                      "json_extract(e.body, '$.detail') FROM balances b JOIN events e ON e.seq = b.seq "
                      "WHERE b.platform = ? AND b.account = ? AND b.at_ms >= ? AND b.at_ms < ? "
                      "ORDER BY b.at_ms, b.seq");
  q.bind(1, o.platform);
  q.bind(2, o.account);
  q.bind(3, o.period.lo());
  q.bind(4, o.period.hi());
  while (q.executeStep()) {
    std::int64_t seq = q.getColumn(0).getInt64();
    std::string at = q.getColumn(1).getString();
    EpochMs at_ms = q.getColumn(2).getInt64();
    std::optional<std::string> currency;
    if (!q.getColumn(3).isNull()) currency = q.getColumn(3).getString();
    bool missing = q.getColumn(6).getInt() != 0;
    std::string line = std::to_string(seq) + "," + CsvValue(at) + "," + (currency ? CsvValue(*currency) : "") + ",";
    if (missing) {
      ++ctx.totals.balance_missing;
      line += ",,true,";
      if (!q.getColumn(7).isNull()) line += CsvText(q.getColumn(7).getString());
    } else {
      std::int64_t amount = q.getColumn(4).getInt64();
      std::optional<std::int64_t> pending;
      if (!q.getColumn(5).isNull()) pending = q.getColumn(5).getInt64();
      line += Amount(amount, *currency) + "," + (pending ? Amount(*pending, *currency) : "") + ",false,";
      auto& c = CurrencyOf(ctx, *currency);
      ++c.balances;
      // Rows come in page-time order, so the last one seen is the latest.
      c.balance_minor = amount;
      c.pending_minor = pending;
      c.balance_at = at;
      c.balance_at_ms = at_ms;
      c.balance_seq = seq;
    }
    out << line << kCrLf;
  }
  return Status::Ok();
}

// ---- payouts.csv ---------------------------------------------------------------------------------------------

Status WritePayouts(Context& ctx, OutputFile& out) {
  const auto& o = ctx.options;
  out << kCsvBom << "seq,at,amount,currency,method,reference" << kCrLf;
  SQLite::Statement q(ctx.db.sql(),
                      "SELECT seq, at, currency, amount_minor, method, reference FROM payouts "
                      "WHERE platform = ? AND account = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms, seq");
  q.bind(1, o.platform);
  q.bind(2, o.account);
  q.bind(3, o.period.lo());
  q.bind(4, o.period.hi());
  while (q.executeStep()) {
    std::string currency = q.getColumn(2).getString();
    std::int64_t amount = q.getColumn(3).getInt64();
    auto& c = CurrencyOf(ctx, currency);
    c.paid_minor += amount;
    ++c.payouts;
    std::string line = std::to_string(q.getColumn(0).getInt64()) + "," + CsvValue(q.getColumn(1).getString()) + "," +
                       Amount(amount, currency) + "," + CsvValue(currency) + ",";
    if (!q.getColumn(4).isNull()) line += CsvText(q.getColumn(4).getString());
    line += ",";
    if (!q.getColumn(5).isNull()) line += CsvText(q.getColumn(5).getString());
    out << line << kCrLf;
  }
  return Status::Ok();
}

std::int64_t PlatformSeconds(Context& ctx) {
  // The activity table holds disjoint intervals (the union of heartbeats and tasks): clip them to the period.
  SQLite::Statement q(ctx.db.sql(),
                      "SELECT COALESCE(SUM(MIN(end_ms, ?4) - MAX(start_ms, ?3)), 0) FROM activity "
                      "WHERE platform = ?1 AND account = ?2 AND end_ms > ?3 AND start_ms < ?4");
  q.bind(1, ctx.options.platform);
  q.bind(2, ctx.options.account);
  q.bind(3, ctx.options.period.lo());
  q.bind(4, ctx.options.period.hi());
  q.executeStep();
  return q.getColumn(0).getInt64() / 1000;
}

Status WriteOne(Context& ctx, const fs::path& dir, const char* name, const std::function<Status(OutputFile&)>& body) {
  auto file = OutputFile::Create(dir / name, ctx.options.replace_files);
  if (!file.ok()) return file.status();
  TEMOIN_RETURN_IF_ERROR(body(**file));
  return (*file)->Close();
}

}  // namespace

Result<DossierResult> WriteDossier(store::Database& db, const Clock& clock, const DossierOptions& options,
                                   const fs::path& dir) {
  TEMOIN_RETURN_IF_ERROR(CheckPeriod(options.period));
  if (!IsLanguage(options.lang)) {
    return Status(Code::kInvalidArgument, "the dossier can be written in en or fr, not '" + options.lang + "'", "lang");
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status(Code::kIo, dir.string() + " is not a folder");

  Context ctx{db, clock, options, StringsFor(options.lang)};
  ctx.generated_at = clock.NowMs();
  DossierResult result;
  // One read transaction: every file describes the same snapshot, even while a host appends (WAL readers do
  // not block writers, nor the other way round).
  Status status = store::CatchStorage("cannot read the record for the dossier", [&]() -> Status {
    db.sql().exec("BEGIN DEFERRED");
    Status inner = store::CatchStorage("cannot read the record for the dossier", [&]() -> Status {
      // events.jsonl first: it also tells whether the account exists, before any other file is made.
      {
        auto probe = OutputFile::Create(dir / "events.jsonl", options.replace_files);
        if (!probe.ok()) return probe.status();
        TEMOIN_RETURN_IF_ERROR(WriteEvents(ctx, **probe));
        TEMOIN_RETURN_IF_ERROR((*probe)->Close());
      }
      TEMOIN_RETURN_IF_ERROR(
          WriteOne(ctx, dir, "tasks.csv", [&](OutputFile& f) { return WriteTasks(ctx, f, &result.tasks); }));
      TEMOIN_RETURN_IF_ERROR(WriteOne(ctx, dir, "balances.csv", [&](OutputFile& f) { return WriteBalances(ctx, f); }));
      TEMOIN_RETURN_IF_ERROR(WriteOne(ctx, dir, "payouts.csv", [&](OutputFile& f) { return WritePayouts(ctx, f); }));
      ctx.totals.platform_seconds = PlatformSeconds(ctx);
      return WriteOne(ctx, dir, "dossier.html", [&](OutputFile& f) { return internal::WriteHtml(ctx, f); });
    });
    db.sql().exec("COMMIT");
    return inner;
  });
  if (!status.ok()) {
    if (status.code() == Code::kNotFound) fs::remove(dir / "events.jsonl", ec);
    try {
      if (sqlite3_get_autocommit(db.sql().getHandle()) == 0) db.sql().exec("ROLLBACK");
    } catch (const std::exception&) {
    }
    return status;
  }
  for (const char* name : kDossierFiles) result.files.push_back(name);
  result.chain = ctx.chain;
  return result;
}

}  // namespace temoin::exporter
