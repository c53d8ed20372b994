#include "store/projections.h"

#include <SQLiteCpp/Statement.h>

#include <limits>

#include "protocol/decode.h"

namespace temoin::store {

using protocol::Event;
using protocol::EventType;

namespace {

template <typename T>
void BindOptional(SQLite::Statement& q, int index, const std::optional<T>& value) {
  if (value) {
    q.bind(index, *value);
  } else {
    q.bind(index);  // NULL
  }
}

}  // namespace

Result<protocol::Event> DecodeLoggedEvent(const LoggedEvent& logged) {
  // The log holds only what was once accepted, so no time bound applies now.
  auto outcome = protocol::DecodeRequest(logged.body, std::numeric_limits<EpochMs>::max() / 2);
  if (!outcome.status.ok()) return outcome.status;
  auto* event = std::get_if<protocol::Event>(&outcome.request->body);
  if (event == nullptr) return Status(Code::kInternal, "logged event " + std::to_string(logged.seq) + " is not an event");
  return std::move(*event);
}

Status Projections::Apply(const Event& e, std::int64_t seq) {
  return CatchStorage("cannot update the summary tables", [&]() -> Status {
    TEMOIN_RETURN_IF_ERROR(TouchAccount(e));
    switch (e.type) {
      case EventType::kTaskStart:
      case EventType::kTaskSubmit:
      case EventType::kTaskAbandon: return ApplyTask(e, seq);
      case EventType::kBalance:
      case EventType::kBalanceMissing: return ApplyBalance(e, seq);
      case EventType::kPayout: return ApplyPayout(e, seq);
      case EventType::kAccountStatus: return ApplyStatus(e, seq);
      case EventType::kHeartbeat: return ApplyHeartbeat(e, seq);
    }
    return Status::Ok();
  });
}

Status Projections::TouchAccount(const Event& e) {
  auto q = db_.Prepare("INSERT INTO accounts (platform, account, last_seen_ms, last_seen) VALUES (?1, ?2, ?3, ?4) "
                      "ON CONFLICT (platform, account) DO UPDATE SET last_seen_ms = ?3, last_seen = ?4 "
                      "WHERE ?3 > last_seen_ms");
  q.bind(1, e.platform);
  q.bind(2, e.account);
  q.bind(3, e.at);
  q.bind(4, e.at_text);
  q.exec();
  return Status::Ok();
}

Status Projections::ApplyTask(const Event& e, std::int64_t seq) {
  // The account's latest task event in page time (tasks_dried_up's "last sign of work").
  auto latest = db_.Prepare(
      "UPDATE accounts SET last_task_ms = ?3, last_task_seq = ?4 WHERE platform = ?1 AND account = ?2 "
      "AND (last_task_ms IS NULL OR last_task_ms < ?3 OR (last_task_ms = ?3 AND last_task_seq < ?4))");
  latest.bind(1, e.platform);
  latest.bind(2, e.account);
  latest.bind(3, e.at);
  latest.bind(4, seq);
  latest.exec();

  // Make sure the row exists; the first observation of a task may be its submit (a start seen in another
  // browser, or never).
  auto ensure = db_.Prepare("INSERT OR IGNORE INTO tasks (platform, account, task_id, counted_ms) VALUES (?, ?, ?, ?)");
  ensure.bind(1, e.platform);
  ensure.bind(2, e.account);
  ensure.bind(3, e.task_id);
  ensure.bind(4, e.at);
  ensure.exec();

  if (e.type == EventType::kTaskStart) {
    // The earliest start wins: a task page reloaded later is the same task, started when it was first seen.
    auto q = db_.Prepare("UPDATE tasks SET started_ms = ?4, started_at = ?5, start_seq = ?6, "
                        "project = COALESCE(?7, project), title = COALESCE(?8, title), url = COALESCE(?9, url), "
                        "rate_minor = COALESCE(?10, rate_minor), rate_currency = COALESCE(?11, rate_currency), "
                        "rate_per_hour = COALESCE(?12, rate_per_hour) "
                        "WHERE platform = ?1 AND account = ?2 AND task_id = ?3 "
                        "AND (started_ms IS NULL OR started_ms > ?4)");
    q.bind(1, e.platform);
    q.bind(2, e.account);
    q.bind(3, e.task_id);
    q.bind(4, e.at);
    q.bind(5, e.at_text);
    q.bind(6, seq);
    BindOptional(*q, 7, e.project);
    BindOptional(*q, 8, e.title);
    BindOptional(*q, 9, e.url);
    if (e.rate) {
      q.bind(10, e.rate->money.minor);
      q.bind(11, e.rate->money.currency);
      q.bind(12, e.rate->per_hour ? 1 : 0);
    } else {
      q.bind(10);
      q.bind(11);
      q.bind(12);
    }
    q.exec();
  } else if (e.type == EventType::kTaskSubmit) {
    // The earliest submit wins too (a reload of the "submitted" page is not a second submit).
    auto q = db_.Prepare("UPDATE tasks SET submitted_ms = ?4, submitted_at = ?5, submit_seq = ?6, "
                        "duration_s = COALESCE(?7, duration_s), "
                        "earned_minor = COALESCE(?8, earned_minor), earned_currency = COALESCE(?9, earned_currency) "
                        "WHERE platform = ?1 AND account = ?2 AND task_id = ?3 "
                        "AND (submitted_ms IS NULL OR submitted_ms > ?4)");
    q.bind(1, e.platform);
    q.bind(2, e.account);
    q.bind(3, e.task_id);
    q.bind(4, e.at);
    q.bind(5, e.at_text);
    q.bind(6, seq);
    BindOptional(*q, 7, e.duration_s);
    if (e.earned) {
      q.bind(8, e.earned->minor);
      q.bind(9, e.earned->currency);
    } else {
      q.bind(8);
      q.bind(9);
    }
    q.exec();
  } else {
    auto q = db_.Prepare("UPDATE tasks SET abandoned_ms = ?4 WHERE platform = ?1 AND account = ?2 AND task_id = ?3 "
                        "AND (abandoned_ms IS NULL OR abandoned_ms > ?4)");
    q.bind(1, e.platform);
    q.bind(2, e.account);
    q.bind(3, e.task_id);
    q.bind(4, e.at);
    q.exec();
  }
  auto counted = db_.Prepare("UPDATE tasks SET counted_ms = COALESCE(submitted_ms, started_ms, abandoned_ms, counted_ms) "
                            "WHERE platform = ? AND account = ? AND task_id = ? "
                            "RETURNING started_ms, COALESCE(submitted_ms, abandoned_ms), duration_s");
  counted.bind(1, e.platform);
  counted.bind(2, e.account);
  counted.bind(3, e.task_id);
  if (counted.executeStep()) {
    // The time on the task joins the platform time once both ends are known (or its duration is).
    const auto start = counted.getColumn(0);
    const auto end = counted.getColumn(1);
    const auto duration = counted.getColumn(2);
    if (!end.isNull()) {
      EpochMs end_ms = end.getInt64();
      // Platform time is start to submit (docs/protocol.md); a duration stands in only when no start was seen.
      EpochMs start_ms = !start.isNull() ? start.getInt64()
                         : duration.isNull() ? end_ms
                                             : end_ms - duration.getInt64() * 1000;
      counted.reset();
      if (start_ms < end_ms) return AddActivity(e.platform, e.account, start_ms, end_ms);
    }
  }
  return Status::Ok();
}

Status Projections::ApplyBalance(const Event& e, std::int64_t seq) {
  auto q = db_.Prepare("INSERT INTO balances (seq, platform, account, currency, at_ms, at, amount_minor, pending_minor, "
                      "missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, seq);
  q.bind(2, e.platform);
  q.bind(3, e.account);
  if (e.type == EventType::kBalance) {
    q.bind(4, e.amount->currency);
  } else {
    BindOptional(*q, 4, e.currency);
  }
  q.bind(5, e.at);
  q.bind(6, e.at_text);
  if (e.type == EventType::kBalance) {
    q.bind(7, e.amount->minor);
    if (e.pending) {
      q.bind(8, e.pending->minor);
    } else {
      q.bind(8);
    }
    q.bind(9, 0);
  } else {
    q.bind(7);
    q.bind(8);
    q.bind(9, 1);
  }
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
  current.bind(1, e.platform);
  current.bind(2, e.account);
  current.bind(3, currency);
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
    walk.bind(1, e.platform);
    walk.bind(2, e.account);
    walk.bind(3, currency);
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
  q.bind(1, e.platform);
  q.bind(2, e.account);
  q.bind(3, currency);
  q.bind(4, latest.seq);
  q.bind(5, latest.at_ms);
  q.bind(6, latest.at);
  q.bind(7, latest.minor);
  BindOptional(*q, 8, latest.pending);
  BindOptional(*q, 9, unpaid_since_ms);
  BindOptional(*q, 10, unpaid_since);
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
  q.bind(1, seq);
  q.bind(2, e.platform);
  q.bind(3, e.account);
  q.bind(4, e.amount->currency);
  q.bind(5, e.amount->minor);
  q.bind(6, e.at);
  q.bind(7, e.at_text);
  BindOptional(*q, 8, e.method);
  BindOptional(*q, 9, e.reference);
  q.bind(10, key);
  q.exec();
  return Status::Ok();
}

Status Projections::ApplyStatus(const Event& e, std::int64_t seq) {
  auto q = db_.Prepare("UPDATE accounts SET state = ?3, state_at_ms = ?4, state_at = ?5, state_seq = ?6 "
                      "WHERE platform = ?1 AND account = ?2 AND (state_at_ms IS NULL OR state_at_ms < ?4 "
                      "OR (state_at_ms = ?4 AND state_seq < ?6))");
  q.bind(1, e.platform);
  q.bind(2, e.account);
  q.bind(3, e.state);
  q.bind(4, e.at);
  q.bind(5, e.at_text);
  q.bind(6, seq);
  q.exec();
  auto all = db_.Prepare("INSERT INTO statuses (seq, platform, account, at_ms, state) VALUES (?, ?, ?, ?, ?)");
  all.bind(1, seq);
  all.bind(2, e.platform);
  all.bind(3, e.account);
  all.bind(4, e.at);
  all.bind(5, e.state);
  all.exec();
  return Status::Ok();
}

Status Projections::ApplyHeartbeat(const Event& e, std::int64_t seq) {
  auto q = db_.Prepare("INSERT INTO heartbeats (seq, platform, account, at_ms, tasks_available) VALUES (?, ?, ?, ?, ?)");
  q.bind(1, seq);
  q.bind(2, e.platform);
  q.bind(3, e.account);
  q.bind(4, e.at);
  BindOptional(*q, 5, e.tasks_available);
  q.exec();
  if (e.tasks_available && *e.tasks_available > 0) {
    auto offered = db_.Prepare(
        "UPDATE accounts SET last_offered_ms = ?3 WHERE platform = ?1 AND account = ?2 "
        "AND (last_offered_ms IS NULL OR last_offered_ms < ?3)");
    offered.bind(1, e.platform);
    offered.bind(2, e.account);
    offered.bind(3, e.at);
    offered.exec();
  }
  return AddActivity(e.platform, e.account, e.at, e.at + kHeartbeatCoverMs);
}

Status Projections::AddActivity(const std::string& platform, const std::string& account, EpochMs start,
                                EpochMs end) {
  // Merge with every interval that overlaps or touches [start, end): the table stays a set of disjoint
  // intervals, so summing them is the union and two tabs never count twice.
  auto overlapping = db_.Prepare("SELECT MIN(start_ms), MAX(end_ms) FROM activity WHERE platform = ?1 AND account = ?2 "
                                "AND end_ms >= ?3 AND start_ms <= ?4");
  overlapping.bind(1, platform);
  overlapping.bind(2, account);
  overlapping.bind(3, start);
  overlapping.bind(4, end);
  if (overlapping.executeStep() && !overlapping.getColumn(0).isNull()) {
    start = std::min<EpochMs>(start, overlapping.getColumn(0).getInt64());
    end = std::max<EpochMs>(end, overlapping.getColumn(1).getInt64());
  }
  overlapping.reset();
  auto remove = db_.Prepare("DELETE FROM activity WHERE platform = ?1 AND account = ?2 AND end_ms >= ?3 AND start_ms <= ?4");
  remove.bind(1, platform);
  remove.bind(2, account);
  remove.bind(3, start);
  remove.bind(4, end);
  remove.exec();
  auto insert = db_.Prepare("INSERT INTO activity (platform, account, start_ms, end_ms) VALUES (?, ?, ?, ?)");
  insert.bind(1, platform);
  insert.bind(2, account);
  insert.bind(3, start);
  insert.bind(4, end);
  insert.exec();
  return Status::Ok();
}

Status Projections::Rebuild(const std::function<Status(const LoggedEvent&)>& other) {
  TEMOIN_RETURN_IF_ERROR(db_.Begin());
  Status status = CatchStorage("cannot rebuild the summary tables", [&]() -> Status {
    for (const char* table : {"accounts", "tasks", "balances", "balance_series", "payouts", "activity", "heartbeats",
                              "statuses", "alerts", "settings"}) {
      db_.sql().exec(std::string("DELETE FROM ") + table);
    }
    EventLog log(db_);
    return log.ForEach([&](const LoggedEvent& logged) -> Status {
      if (!protocol::EventTypeFromName(logged.type)) return other ? other(logged) : Status::Ok();
      auto event = DecodeLoggedEvent(logged);
      if (!event.ok()) {
        return Status(Code::kInternal, "event " + std::to_string(logged.seq) + " cannot be read back: " +
                                           event.status().message());
      }
      return Apply(*event, logged.seq);
    });
  });
  if (!status.ok()) {
    db_.Rollback();
    return status;
  }
  return db_.Commit();
}

}  // namespace temoin::store
