#include "store/projections.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <limits>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "protocol/decode.h"
#include "store/bind_values.h"

namespace temoin::store {

using protocol::Event;
using protocol::EventType;

namespace {

std::optional<std::int64_t> MinorOf(const std::optional<protocol::Money>& money) {
  return money ? std::optional(money->minor) : std::nullopt;
}

std::optional<std::string> CurrencyOf(const std::optional<protocol::Money>& money) {
  return money ? std::optional(money->currency) : std::nullopt;
}

// The statement a task event runs: insert the task with the event's columns (`values`, ?4 being its page time,
// which is also the day it counts on until a better end is known), or, when the task is known, set `sets`, each
// only if the event is earlier than the row's `time_column` (DO UPDATE reads every column as the row was).
// counted_ms is then submitted_ms, else started_ms, else abandoned_ms, as they are after the event. RETURNING
// hands back the task's start, end (submit, else abandon) and duration, after the event.
std::string TaskUpsert(const char* columns, const char* values, const char* time_column,
                       std::initializer_list<std::pair<const char*, const char*>> sets) {
  const std::string earlier = std::string(time_column) + " IS NULL OR " + time_column + " > ?4";
  auto after = [&](const char* column) {  // the column as the update leaves it
    return column == std::string_view(time_column) ? "IIF(" + earlier + ", ?4, " + column + ")" : std::string(column);
  };
  std::string sql = std::string("INSERT INTO tasks (platform, account, task_id, ") + columns +
                    ", counted_ms) VALUES (?1, ?2, ?3, " + values + ", ?4) "
                    "ON CONFLICT (platform, account, task_id) DO UPDATE SET ";
  for (const auto& [column, value] : sets) sql += std::string(column) + " = IIF(" + earlier + ", " + value + ", " + column + "), ";
  sql += "counted_ms = COALESCE(" + after("submitted_ms") + ", " + after("started_ms") + ", " + after("abandoned_ms") +
         ", counted_ms) RETURNING started_ms, COALESCE(submitted_ms, abandoned_ms), duration_s";
  return sql;
}

}  // namespace

Result<protocol::Event> DecodeLoggedEvent(const LoggedEvent& logged) {
  // The log holds only what was once accepted, so no time bound applies now.
  auto outcome = protocol::DecodeRequest(logged.body, std::numeric_limits<EpochMs>::max() / 2);
  if (!outcome.status.ok()) {
    return Status(Code::kInternal,
                  "event " + std::to_string(logged.seq) + " cannot be read back: " + outcome.status.message());
  }
  auto* event = std::get_if<protocol::Event>(&outcome.request->body);
  if (event == nullptr) return Status(Code::kInternal, "logged event " + std::to_string(logged.seq) + " is not an event");
  return std::move(*event);
}

Status Projections::Apply(const Event& e, std::int64_t seq) {
  // The account row (every event moves it, an account.status its state) first; kept in memory until Flush.
  TEMOIN_RETURN_IF_ERROR(accounts_.Apply(e, seq));
  Status status = CatchStorage("cannot update the summary tables", [&]() -> Status {
    switch (e.type) {
      case EventType::kTaskStart:
      case EventType::kTaskSubmit:
      case EventType::kTaskAbandon: return ApplyTask(e, seq);
      case EventType::kBalance:
      case EventType::kBalanceMissing: return ApplyBalance(e, seq);
      case EventType::kPayout: return ApplyPayout(e, seq);
      case EventType::kAccountStatus: return ApplyStatus(e, seq);
      case EventType::kHeartbeat: return ApplyHeartbeat(e);
    }
    return Status::Ok();
  });
  if (!status.ok() || writes_ == AccountWrites::kAtFlush) return status;
  return Flush();
}

Status Projections::Flush() {
  // Both, whatever the first says: each drops what an ended transaction left (and says so once).
  Status accounts = accounts_.Flush();
  Status activity = activity_.Flush();
  return accounts.ok() ? activity : accounts;
}

Status Projections::ApplyTask(const Event& e, std::int64_t seq) {
  // One statement for the task row: it is inserted by the task's first event (which may be its submit: a start
  // seen in another browser, or never), else updated. Three statements (ensure, update, then counted_ms) each
  // rewrote the row's entry in the covering index: most of a task event's cost. Written once per process.
  static const std::string kStart = TaskUpsert(
      // The earliest start wins: a task page reloaded later is the same task, started when it was first seen.
      "started_ms, started_at, start_seq, project, title, url, rate_minor, rate_currency, rate_per_hour",
      "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12", "started_ms",
      {{"started_ms", "?4"}, {"started_at", "?5"}, {"start_seq", "?6"}, {"project", "COALESCE(?7, project)"},
       {"title", "COALESCE(?8, title)"}, {"url", "COALESCE(?9, url)"}, {"rate_minor", "COALESCE(?10, rate_minor)"},
       {"rate_currency", "COALESCE(?11, rate_currency)"}, {"rate_per_hour", "COALESCE(?12, rate_per_hour)"}});
  static const std::string kSubmit = TaskUpsert(
      // The earliest submit wins too (a reload of the "submitted" page is not a second submit).
      "submitted_ms, submitted_at, submit_seq, duration_s, earned_minor, earned_currency", "?4, ?5, ?6, ?7, ?8, ?9",
      "submitted_ms",
      {{"submitted_ms", "?4"}, {"submitted_at", "?5"}, {"submit_seq", "?6"}, {"duration_s", "COALESCE(?7, duration_s)"},
       {"earned_minor", "COALESCE(?8, earned_minor)"}, {"earned_currency", "COALESCE(?9, earned_currency)"}});
  static const std::string kAbandon = TaskUpsert("abandoned_ms", "?4", "abandoned_ms", {{"abandoned_ms", "?4"}});

  auto q = db_.Prepare(e.type == EventType::kTaskStart    ? kStart
                       : e.type == EventType::kTaskSubmit ? kSubmit
                                                          : kAbandon);
  BindValues(q, e.platform, e.account, e.task_id, e.at);
  if (e.type == EventType::kTaskStart) {
    BindValuesFrom(q, 5, e.at_text, seq, e.project, e.title, e.url);
    if (e.rate) {
      BindValuesFrom(q, 10, e.rate->money.minor, e.rate->money.currency, e.rate->per_hour ? 1 : 0);
    } else {
      BindValuesFrom(q, 10, std::nullopt, std::nullopt, std::nullopt);
    }
  } else if (e.type == EventType::kTaskSubmit) {
    BindValuesFrom(q, 5, e.at_text, seq, e.duration_s, MinorOf(e.earned), CurrencyOf(e.earned));
  }
  if (q.executeStep()) {
    // The time on the task joins the platform time once both ends are known (or its duration is).
    const auto start = q.getColumn(0);
    const auto end = q.getColumn(1);
    const auto duration = q.getColumn(2);
    if (!end.isNull()) {
      EpochMs end_ms = end.getInt64();
      // Platform time is start to submit (docs/protocol.md); a duration stands in only when no start was seen.
      EpochMs start_ms = !start.isNull() ? start.getInt64()
                         : duration.isNull() ? end_ms
                                             : end_ms - duration.getInt64() * 1000;
      q.reset();
      if (start_ms < end_ms) return activity_.Add(e.platform, e.account, start_ms, end_ms);
    }
  }
  return Status::Ok();
}

Status Projections::ApplyBalance(const Event& e, std::int64_t seq) {
  auto q = db_.Prepare("INSERT INTO balances (seq, platform, account, currency, at_ms, at, amount_minor, pending_minor, "
                      "missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const bool missing = e.type == EventType::kBalanceMissing;  // then no amount, and the currency if the page said
  BindValues(q, seq, e.platform, e.account, missing ? e.currency : CurrencyOf(e.amount), e.at, e.at_text,
             missing ? std::nullopt : MinorOf(e.amount), missing ? std::nullopt : MinorOf(e.pending), missing ? 1 : 0);
  q.exec();
  if (e.type == EventType::kBalance) return RefreshBalanceSeries(e, seq);
  return Status::Ok();
}

Status Projections::RefreshBalanceSeries(const Event& e, std::int64_t seq) {
  const std::string& currency = e.amount->currency;
  // The series' row as it was: an observation later in page time than its latest (the usual case) only moves
  // it forward, and the unpaid run continues, ends (zero) or starts here.
  auto current = db_.Prepare(
      "SELECT latest_at_ms, latest_seq, amount_minor, unpaid_since_ms, unpaid_since FROM balance_series "
      "WHERE platform = ? AND account = ? AND currency = ?");
  BindValues(current, e.platform, e.account, currency);
  bool exists = current.executeStep();
  bool newest = !exists || e.at > current.getColumn(0).getInt64() ||
                (e.at == current.getColumn(0).getInt64() && seq > current.getColumn(1).getInt64());

  struct Latest {
    std::int64_t seq;
    EpochMs at_ms;
    std::string at;
    std::int64_t minor;
    std::optional<std::int64_t> pending;
  } latest{};
  std::optional<EpochMs> unpaid_since_ms;
  std::optional<std::string> unpaid_since;
  if (newest) {
    latest = {seq, e.at, e.at_text, e.amount->minor, e.pending ? std::optional(e.pending->minor) : std::nullopt};
    if (latest.minor > 0) {
      if (exists && current.getColumn(2).getInt64() > 0 && !current.getColumn(3).isNull()) {
        unpaid_since_ms = current.getColumn(3).getInt64();
        unpaid_since = current.getColumn(4).getString();
      } else {
        unpaid_since_ms = e.at;
        unpaid_since = e.at_text;
      }
    }
    current.reset();
  } else {
    current.reset();
    // A late observation lands in the past: walk back from the latest through the current run above zero
    // (its first observation is where "unpaid since" starts). The run's length, not the series'.
    auto walk = db_.Prepare(
        "SELECT seq, at_ms, at, amount_minor, pending_minor FROM balances WHERE platform = ? AND account = ? "
        "AND currency = ? AND missing = 0 ORDER BY at_ms DESC, seq DESC");
    BindValues(walk, e.platform, e.account, currency);
    bool first = true;
    while (walk.executeStep()) {
      if (first) {
        latest = {walk.getColumn(0).getInt64(), walk.getColumn(1).getInt64(), walk.getColumn(2).getString(),
                  walk.getColumn(3).getInt64(),
                  walk.getColumn(4).isNull() ? std::nullopt : std::optional(walk.getColumn(4).getInt64())};
        first = false;
      }
      if (walk.getColumn(3).getInt64() <= 0) break;
      unpaid_since_ms = walk.getColumn(1).getInt64();
      unpaid_since = walk.getColumn(2).getString();
    }
  }
  auto q = db_.Prepare(
      "INSERT INTO balance_series (platform, account, currency, latest_seq, latest_at_ms, latest_at, amount_minor, "
      "pending_minor, unpaid_since_ms, unpaid_since) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
      "ON CONFLICT (platform, account, currency) DO UPDATE SET latest_seq = ?4, latest_at_ms = ?5, latest_at = ?6, "
      "amount_minor = ?7, pending_minor = ?8, unpaid_since_ms = ?9, unpaid_since = ?10");
  BindValues(q, e.platform, e.account, currency, latest.seq, latest.at_ms, latest.at, latest.minor, latest.pending,
             unpaid_since_ms, unpaid_since);
  q.exec();
  return Status::Ok();
}

Status Projections::ApplyPayout(const Event& e, std::int64_t seq) {
  // One payout, however often its confirmation page is seen: by reference when the page gives one.
  std::string key = e.platform + "\x1f" + e.account + "\x1f" + e.amount->currency + "\x1f" +
                    (e.reference ? "ref:" + *e.reference
                                 : "at:" + std::to_string(e.at) + ":" + std::to_string(e.amount->minor));
  auto q = db_.Prepare("INSERT OR IGNORE INTO payouts (seq, platform, account, currency, amount_minor, at_ms, at, "
                      "method, reference, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  BindValues(q, seq, e.platform, e.account, e.amount->currency, e.amount->minor, e.at, e.at_text, e.method,
             e.reference, key);
  q.exec();
  return Status::Ok();
}

Status Projections::ApplyStatus(const Event& e, std::int64_t seq) {
  // The account row's state moved with the row (AccountRow::Apply); here the history.
  auto all = db_.Prepare("INSERT INTO statuses (seq, platform, account, at_ms, state) VALUES (?, ?, ?, ?, ?)");
  BindValues(all, seq, e.platform, e.account, e.at, e.state);
  all.exec();
  return Status::Ok();
}

Status Projections::ApplyHeartbeat(const Event& e) {
  // The account row took the visit (TouchAccount); the minute after it joins the platform time.
  return activity_.Add(e.platform, e.account, e.at, e.at + kHeartbeatCoverMs);
}

Result<std::int64_t> Projections::ProjectedThrough() {
  std::int64_t through = 0;
  Status status = CatchStorage("cannot read how far the summary tables follow the log", [&]() -> Status {
    auto q = db_.Prepare("SELECT through_seq FROM projection_mark");
    if (!q.executeStep()) return Status(Code::kStorage, "the projection mark is missing (schema 5)");
    through = q.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return through;
}

Status Projections::MarkProjectedThrough(std::int64_t seq) {
  return CatchStorage("cannot record how far the summary tables follow the log", [&]() -> Status {
    auto q = db_.Prepare("UPDATE projection_mark SET through_seq = ?1");
    q.bind(1, seq);
    q.exec();
    return Status::Ok();
  });
}

Status Projections::Rebuild(const std::function<Status(const LoggedEvent&)>& other) {
  // Each account's row is written once, at the end, whatever this instance does otherwise.
  const AccountWrites writes = std::exchange(writes_, AccountWrites::kAtFlush);
  Status rebuilt = RebuildInTransaction(other);
  writes_ = writes;
  return rebuilt;
}

Status Projections::RebuildInTransaction(const std::function<Status(const LoggedEvent&)>& other) {
  TEMOIN_RETURN_IF_ERROR(db_.Begin());
  Status status = CatchStorage("cannot rebuild the summary tables", [&]() -> Status {
    for (const char* table : {"accounts", "tasks", "balances", "balance_series", "payouts", "activity",
                              "statuses", "alerts", "settings"}) {
      db_.sql().exec(std::string("DELETE FROM ") + table);
    }
    EventLog log(db_);
    std::int64_t applied = 0;
    return log.ForEach([&](const LoggedEvent& logged) -> Status {
      if (!protocol::EventTypeFromName(logged.type)) return other ? other(logged) : Status::Ok();
      auto event = DecodeLoggedEvent(logged);
      if (!event.ok()) return event.status();
      TEMOIN_RETURN_IF_ERROR(Apply(*event, logged.seq));
      // What is held in memory is written now and then: a long history is not held whole.
      return ++applied % 4096 == 0 ? Flush() : Status::Ok();
    });
  });
  if (status.ok()) status = Flush();
  if (status.ok()) {
    auto last = EventLog(db_).LastSeq();
    status = last.ok() ? MarkProjectedThrough(*last) : last.status();
  }
  if (!status.ok()) {
    db_.Rollback();
    return status;
  }
  return db_.Commit();
}

}  // namespace temoin::store
