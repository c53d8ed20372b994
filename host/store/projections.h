// Projections: the tables derived from the log (accounts, tasks, balances, balance_series, payouts, activity,
// statuses). They exist so that the popup's summary is a few indexed reads instead of a scan of the log, and
// they can always be rebuilt from the log (Rebuild), which is what makes it safe to change them.
//
// Observations can arrive late or twice (a queue replayed after hours offline, a page reloaded, two browsers):
// every update here is keyed by what was observed (task id, page time, payout reference), never by arrival
// order, so the same facts give the same tables whatever order they came in.
#ifndef TEMOIN_STORE_PROJECTIONS_H_
#define TEMOIN_STORE_PROJECTIONS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/status.h"
#include "protocol/messages.h"
#include "store/account_rows.h"
#include "store/activity_intervals.h"
#include "store/task_rows.h"
#include "store/database.h"
#include "store/event_log.h"

namespace temoin::store {

// The stretch of platform time a heartbeat stands for: the worker was there for the minute after it.
inline constexpr EpochMs kHeartbeatCoverMs = 60'000;

class Projections {
 public:
  // When the account rows, task rows and activity intervals an event moves (store/account_rows.h,
  // store/task_rows.h, store/activity_intervals.h) reach their tables: at the end of each Apply (nothing left
  // for the caller to do), or at Flush, once for the events applied since (for whoever applies many events in
  // one transaction: the log follower, a rebuild). Until then they are in memory only: Flush before the commit,
  // and pass HeldAccount to whatever reads an account row meanwhile (nothing reads `tasks` or `activity` during
  // a catch-up).
  enum class AccountWrites { kEachEvent, kAtFlush };

  explicit Projections(Database& db, AccountWrites writes = AccountWrites::kEachEvent)
      : db_(db), writes_(writes), accounts_(db), tasks_(db), activity_(db) {}

  // Updates the derived tables for an event just appended with `seq`. Runs in the caller's transaction.
  Status Apply(const protocol::Event& event, std::int64_t seq);

  // Writes what Apply kept in memory (AccountWrites::kAtFlush): the account rows, task rows and intervals.
  // In the transaction the events were applied in.
  Status Flush();

  // The account's row as the events applied so far in this transaction left it (ahead of the table until
  // Flush), or null if none of them was of this account.
  const AccountRow* HeldAccount(const std::string& platform, const std::string& account) const {
    return accounts_.Find(platform, account);
  }

  // The last seq the derived tables include (schema/migrations/0005): the events after it are in the log
  // only, until rules/log_follower.h catches up. Whoever applies events moves it, in the same transaction.
  // Moving it forward also gives every event it passes, the host's own included, its place in the log's orders
  // by account and by type (events_of_account, events_of_type: schema/migrations/0006), in one statement each:
  // up to the mark, the orders hold the whole log.
  Result<std::int64_t> ProjectedThrough();
  Status MarkProjectedThrough(std::int64_t seq);

  // Empties the derived tables and replays the whole log into them, in one transaction, then marks them up to
  // date. Events the wire decoder does not know (the host's own alert and configuration events) are handed to
  // `other`, which may be empty.
  Status Rebuild(const std::function<Status(const LoggedEvent&)>& other);

 private:
  Status RebuildInTransaction(const std::function<Status(const LoggedEvent&)>& other);
  Status ApplyTask(const protocol::Event& event, std::int64_t seq);
  Status ApplyBalance(const protocol::Event& event, std::int64_t seq);
  // Brings the balance_series row of the event's currency up to date after its observation was stored.
  Status RefreshBalanceSeries(const protocol::Event& e, std::int64_t seq);
  Status ApplyPayout(const protocol::Event& event, std::int64_t seq);
  Status ApplyStatus(const protocol::Event& event, std::int64_t seq);
  Status ApplyHeartbeat(const protocol::Event& event);
  Database& db_;
  AccountWrites writes_;
  AccountRows accounts_;
  TaskRows tasks_;
  ActivityIntervals activity_;
};

// Re-reads a logged wire event into its typed form (for rebuilds and catch-ups); fails (internal, naming the
// seq) for a body the decoder refuses now and for the host's own events.
Result<protocol::Event> DecodeLoggedEvent(const LoggedEvent& logged);

}  // namespace temoin::store

#endif  // TEMOIN_STORE_PROJECTIONS_H_
