#include "store/projections.h"

#include <SQLiteCpp/Statement.h>

#include <limits>
#include <optional>
#include <string>
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
  // All three, whatever the first says: each drops what an ended transaction left (and says so once).
  Status accounts = accounts_.Flush();
  Status tasks = tasks_.Flush();
  Status activity = activity_.Flush();
  return !accounts.ok() ? accounts : !tasks.ok() ? tasks : activity;
}

Status Projections::ApplyTask(const Event& e, std::int64_t seq) {
  auto applied = tasks_.Apply(e, seq);
  if (!applied.ok()) return applied.status();
  const TaskRow& task = **applied;
  // The time on the task joins the platform time once both ends are known (or its duration is). Platform
  // time is start to submit (docs/protocol.md); a duration stands in only when no start was seen.
  const std::optional<EpochMs> end = task.submitted_ms ? task.submitted_ms : task.abandoned_ms;
  if (!end) return Status::Ok();
  const EpochMs start = task.started_ms ? *task.started_ms
                        : task.duration_s ? *end - *task.duration_s * 1000
                                          : *end;
  return start < *end ? activity_.Add(e.platform, e.account, start, *end) : Status::Ok();
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
  // The account row took the visit (AccountRows); the minute after it joins the platform time.
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
    // One statement per order for every event the mark passes (a catch-up's hundred or more), rather than a
    // statement per event: the rows are read back from the log's pages the catch-up has just read.
    auto by_account = db_.Prepare(
        "INSERT INTO events_of_account (platform, account, seq, at_ms) SELECT platform, account, seq, at_ms "
        "FROM events WHERE seq > (SELECT through_seq FROM projection_mark) AND seq <= ?1");
    by_account.bind(1, seq);
    by_account.exec();
    auto by_type = db_.Prepare(
        "INSERT INTO events_of_type (type, at_ms, seq) SELECT type, at_ms, seq "
        "FROM events WHERE seq > (SELECT through_seq FROM projection_mark) AND seq <= ?1");
    by_type.bind(1, seq);
    by_type.exec();
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
                              "statuses", "alerts", "settings", "events_of_account", "events_of_type"}) {
      db_.sql().exec(std::string("DELETE FROM ") + table);
    }
    // Nothing is derived now: the mark at the end places the whole log in its orders again.
    db_.sql().exec("UPDATE projection_mark SET through_seq = 0");
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
