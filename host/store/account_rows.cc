#include "store/account_rows.h"

#include <SQLiteCpp/Statement.h>

#include <limits>

#include "store/bind_values.h"

namespace temoin::store {

using protocol::Event;
using protocol::EventType;

namespace {

// Whether an event at `at_ms` logged as `seq` is later than the one `ms` and `seq_held` describe: later in page
// time, or at the same time and logged after (a NULL seq, as SQL compares it, is never less).
bool Newer(const std::optional<EpochMs>& ms, const std::optional<std::int64_t>& seq_held, EpochMs at_ms,
           std::int64_t seq) {
  return !ms || *ms < at_ms || (*ms == at_ms && seq_held && *seq_held < seq);
}

template <typename T>
std::optional<T> OptionalColumn(const SQLite::Column& column);

template <>
std::optional<std::int64_t> OptionalColumn(const SQLite::Column& column) {
  return column.isNull() ? std::nullopt : std::optional(column.getInt64());
}

template <>
std::optional<std::string> OptionalColumn(const SQLite::Column& column) {
  return column.isNull() ? std::nullopt : std::optional(column.getString());
}

}  // namespace

void AccountRow::Apply(const Event& e, std::int64_t seq) {
  if (e.at > last_seen_ms) {
    last_seen_ms = e.at;
    last_seen = e.at_text;
  }
  switch (e.type) {
    case EventType::kHeartbeat:
      if (Newer(last_visit_ms, last_visit_seq, e.at, seq)) {
        last_visit_ms = e.at;
        last_visit_seq = seq;
      }
      // The latest visit that offered tasks: a late visit can still be it.
      if (e.tasks_available && *e.tasks_available > 0 && (!last_offered_ms || *last_offered_ms < e.at)) {
        last_offered_ms = e.at;
      }
      break;
    case EventType::kTaskStart:
    case EventType::kTaskSubmit:
    case EventType::kTaskAbandon:
      if (Newer(last_task_ms, last_task_seq, e.at, seq)) {
        last_task_ms = e.at;
        last_task_seq = seq;
      }
      break;
    case EventType::kAccountStatus:
      if (Newer(state_at_ms, state_seq, e.at, seq)) {
        state = e.state;
        state_at_ms = e.at;
        state_at = e.at_text;
        state_seq = seq;
      }
      break;
    case EventType::kBalance:
    case EventType::kBalanceMissing:
    case EventType::kPayout: break;
  }
}

std::optional<AccountRow> ReadAccountRow(Database& db, const std::string& platform, const std::string& account) {
  auto q = db.Prepare(
      "SELECT last_seen_ms, last_seen, state, state_at_ms, state_at, state_seq, last_task_ms, last_task_seq, "
      "last_offered_ms, last_visit_ms, last_visit_seq FROM accounts WHERE platform = ? AND account = ?");
  BindValues(q, platform, account);
  if (!q.executeStep()) return std::nullopt;
  AccountRow row;
  row.platform = platform;
  row.account = account;
  row.last_seen_ms = q.getColumn(0).getInt64();
  row.last_seen = q.getColumn(1).getString();
  row.state = OptionalColumn<std::string>(q.getColumn(2));
  row.state_at_ms = OptionalColumn<std::int64_t>(q.getColumn(3));
  row.state_at = OptionalColumn<std::string>(q.getColumn(4));
  row.state_seq = OptionalColumn<std::int64_t>(q.getColumn(5));
  row.last_task_ms = OptionalColumn<std::int64_t>(q.getColumn(6));
  row.last_task_seq = OptionalColumn<std::int64_t>(q.getColumn(7));
  row.last_offered_ms = OptionalColumn<std::int64_t>(q.getColumn(8));
  row.last_visit_ms = OptionalColumn<std::int64_t>(q.getColumn(9));
  row.last_visit_seq = OptionalColumn<std::int64_t>(q.getColumn(10));
  return row;
}

Status AccountRows::Expire() {
  return held_.Expire([](const Key& key) { return "the account row of " + key.first + " (" + key.second + ")"; });
}

Status AccountRows::Apply(const Event& e, std::int64_t seq) {
  TEMOIN_RETURN_IF_ERROR(Expire());
  auto key = std::make_pair(e.platform, e.account);
  auto it = held_.rows().find(key);
  if (it == held_.rows().end()) {
    Held held;
    TEMOIN_RETURN_IF_ERROR(CatchStorage("cannot read the account", [&] {
      auto row = ReadAccountRow(db_, e.platform, e.account);
      held.in_table = row.has_value();
      if (row) {
        held.row = std::move(*row);
      } else {
        held.row.platform = e.platform;
        held.row.account = e.account;
        // Below any page time, so the first event sets every "latest" the row has.
        held.row.last_seen_ms = std::numeric_limits<EpochMs>::min();
      }
      return Status::Ok();
    }));
    it = held_.rows().emplace(std::move(key), std::move(held)).first;
  }
  it->second.row.Apply(e, seq);
  it->second.moved = true;
  return Status::Ok();
}

const AccountRow* AccountRows::Find(const std::string& platform, const std::string& account) const {
  if (!held_.current()) return nullptr;
  auto it = held_.rows().find(std::make_pair(platform, account));
  return it == held_.rows().end() ? nullptr : &it->second.row;
}

Status AccountRows::Flush() {
  if (!held_.writable()) return Expire();
  Status status = CatchStorage("cannot update the account rows", [&] {
    for (auto& [key, held] : held_.rows()) {
      if (!held.moved) continue;
      const AccountRow& r = held.row;
      auto q = db_.Prepare(held.in_table
                               ? "UPDATE accounts SET last_seen_ms = ?3, last_seen = ?4, state = ?5, state_at_ms = ?6, "
                                 "state_at = ?7, state_seq = ?8, last_task_ms = ?9, last_task_seq = ?10, "
                                 "last_offered_ms = ?11, last_visit_ms = ?12, last_visit_seq = ?13 "
                                 "WHERE platform = ?1 AND account = ?2"
                               : "INSERT INTO accounts (platform, account, last_seen_ms, last_seen, state, "
                                 "state_at_ms, state_at, state_seq, last_task_ms, last_task_seq, last_offered_ms, "
                                 "last_visit_ms, last_visit_seq) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
      BindValues(q, r.platform, r.account, r.last_seen_ms, r.last_seen, r.state, r.state_at_ms, r.state_at,
                 r.state_seq, r.last_task_ms, r.last_task_seq, r.last_offered_ms, r.last_visit_ms, r.last_visit_seq);
      q.exec();
      held.in_table = true;
      held.moved = false;
    }
    return Status::Ok();
  });
  if (!db_.in_transaction()) held_.rows().clear();
  return status;
}

}  // namespace temoin::store
