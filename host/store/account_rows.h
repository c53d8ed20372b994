// AccountRows: the `accounts` rows (one per platform and account) as a run of events moves them, kept in memory
// and written once per account when the run flushes, instead of one UPDATE per event.
//
// Every event moves its account's row (the latest page time; a heartbeat the latest visit and the latest visit
// that offered tasks; a task event the latest task event; an account.status the latest state). Written per
// event, that UPDATE was about a tenth of an event's instructions (docs/performance.md), and the tasks_dried_up
// rule then read the row back. A catch-up applies a hundred events or more of a few accounts in one
// transaction, so here the row is read once, moved in memory by each event (the same rules as before: later in
// page time wins, the seq breaks ties) and written once.
//
// Rows are loaded in the caller's transaction and hold for that transaction only (store/held_rows.h): Flush
// before committing; a row moved in a transaction that has since ended (or rolled back to a savepoint) is an
// error at Flush, never written.
#ifndef TEMOIN_STORE_ACCOUNT_ROWS_H_
#define TEMOIN_STORE_ACCOUNT_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "base/status.h"
#include "protocol/messages.h"
#include "store/database.h"
#include "store/held_rows.h"

namespace temoin::store {

// One row of `accounts` (schema/migrations 0001, 0002, 0004).
struct AccountRow {
  std::string platform;
  std::string account;
  EpochMs last_seen_ms = 0;  // the latest page time of any event
  std::string last_seen;
  std::optional<std::string> state;  // the latest account.status in page time
  std::optional<EpochMs> state_at_ms;
  std::optional<std::string> state_at;
  std::optional<std::int64_t> state_seq;
  std::optional<EpochMs> last_task_ms;  // the latest task event (start, submit, abandon)
  std::optional<std::int64_t> last_task_seq;
  std::optional<EpochMs> last_offered_ms;  // the latest heartbeat that reported tasks available
  std::optional<EpochMs> last_visit_ms;    // the latest heartbeat
  std::optional<std::int64_t> last_visit_seq;

  // What `event` (logged with `seq`) changes in the row; `event` is of this row's account.
  void Apply(const protocol::Event& event, std::int64_t seq);
};

// Reads the row, or nullopt when the account has none. Throws like SQLite::Statement (callers use CatchStorage).
std::optional<AccountRow> ReadAccountRow(Database& db, const std::string& platform, const std::string& account);

class AccountRows {
 public:
  explicit AccountRows(Database& db) : db_(db), held_(db) {}

  // Moves the account's row for `event`, creating it at the account's first event. In a transaction.
  Status Apply(const protocol::Event& event, std::int64_t seq);

  // The row as the events applied so far left it, or null if none of them was of this account.
  const AccountRow* Find(const std::string& platform, const std::string& account) const;

  // Writes every row an event moved since the last Flush, in the same transaction.
  Status Flush();

 private:
  using Held = HeldRow<AccountRow>;
  using Key = std::pair<std::string, std::string>;  // platform, account
  Status Expire();

  Database& db_;
  HeldRows<Key, Held> held_;
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_ACCOUNT_ROWS_H_
