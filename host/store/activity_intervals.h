// ActivityIntervals: each account's time on its platform (the `activity` table: disjoint intervals
// [start_ms, end_ms), each with before_ms, the summed lengths of the account's earlier intervals) as a run of
// events merges into it, held in memory and written once when the run flushes.
//
// A heartbeat covers the minute after it and a task its start to its submit; each is merged with every interval
// it overlaps or touches, so that summing the intervals is the union and two tabs never count twice. Written
// per event, that was an insert per heartbeat that did not touch the previous one, and at each submit a read,
// deletes of the intervals the task spans and an insert: an eighth of an event's instructions
// (docs/performance.md). A catch-up merges a session's heartbeats and tasks here and writes what is left.
//
// What is held for an account is every interval that ends at or after `from` (the earliest start merged so
// far), and the summed lengths of those before it; an earlier interval widens it with one more read. What is
// held lives for the transaction it was read in (store/held_rows.h): Flush before committing; what was merged
// in a transaction that has since ended (or rolled back to a savepoint) is an error at Flush, never written.
#ifndef TEMOIN_STORE_ACTIVITY_INTERVALS_H_
#define TEMOIN_STORE_ACTIVITY_INTERVALS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "protocol/messages.h"
#include "store/database.h"
#include "store/held_rows.h"

namespace temoin::store {

class ActivityIntervals {
 public:
  explicit ActivityIntervals(Database& db) : db_(db), held_(db) {}

  // Adds [start, end) (start < end) to the account's time.
  Status Add(const std::string& platform, const std::string& account, EpochMs start, EpochMs end);

  // Writes every account's intervals that changed since the last Flush, in the same transaction, and forgets
  // them (a long rebuild holds one stretch of history at a time).
  Status Flush();

 private:
  struct Interval {
    EpochMs start;
    EpochMs end;
  };
  struct Row {
    EpochMs end;
    std::int64_t before_ms;
    bool operator==(const Row&) const = default;
  };
  struct Held {
    EpochMs from = 0;
    std::int64_t before_from = 0;         // the summed lengths of the intervals that end before `from`
    std::vector<Interval> intervals;      // those that end at or after it, by start; disjoint, never touching
    std::map<EpochMs, Row> in_table;      // the rows read, by start, as the table has them
    bool moved = false;                   // something was added since the last Flush
  };

  // Reads the rows that end in [from, to) into `held` (the first read: to unbounded). Throws like
  // SQLite::Statement.
  void Read(const std::string& platform, const std::string& account, EpochMs from, std::optional<EpochMs> to,
            Held* held);
  using Key = std::pair<std::string, std::string>;  // platform, account
  Status Expire();

  Database& db_;
  HeldRows<Key, Held> held_;
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_ACTIVITY_INTERVALS_H_
