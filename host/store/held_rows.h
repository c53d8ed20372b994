// HeldRows: rows of a derived table that a run of events moves in memory before writing them once (the account
// rows, task rows and activity intervals of a catch-up: store/account_rows.h, task_rows.h,
// activity_intervals.h), and the one rule they share: what is held is the table only within the transaction it
// was read in. That transaction's write lock is what keeps the copy true; once it has ended (committed, rolled
// back, or rolled back to a savepoint: Database::transaction_serial moves), another writer may have changed the
// rows, and what moved in memory may have been undone with it.
#ifndef TEMOIN_STORE_HELD_ROWS_H_
#define TEMOIN_STORE_HELD_ROWS_H_

#include <cstdint>
#include <map>
#include <string>

#include "base/status.h"
#include "store/database.h"

namespace temoin::store {

// One table row held: what the account and task rows hold (the activity intervals hold more).
template <typename Row>
struct HeldRow {
  Row row;
  bool in_table = false;  // false: the row's first event; Flush inserts it
  bool moved = false;
};

// `Held` has a `bool moved`: changed in memory since it was read or last written.
template <typename Key, typename Held>
class HeldRows {
 public:
  explicit HeldRows(Database& db) : db_(db) {}

  // Whether what is held was read in the transaction now open.
  bool current() const { return db_.in_transaction() && serial_ == db_.transaction_serial(); }

  // Starts holding for the transaction now open (or, outside one, for one statement at a time): what an
  // earlier transaction left is dropped, and if any of it had moved without being written that is an error
  // (said once), naming the first such row by `describe(key)`.
  template <typename Describe>
  Status Expire(Describe describe) {
    if (current()) return Status::Ok();
    Status status = Status::Ok();
    for (const auto& [key, held] : rows_) {
      if (held.moved) {
        status = Status(Code::kInternal,
                        describe(key) + " was moved in a transaction that ended before it was written");
        break;
      }
    }
    rows_.clear();
    serial_ = db_.transaction_serial();
    return status;
  }

  // Before writing: in a transaction other than the one the rows were read in, nothing is written (Expire
  // says whether that lost anything). Outside a transaction each statement is its own, and what moved is
  // written now.
  bool writable() const { return !db_.in_transaction() || serial_ == db_.transaction_serial(); }

  std::map<Key, Held>& rows() { return rows_; }
  const std::map<Key, Held>& rows() const { return rows_; }

 private:
  Database& db_;
  std::uint64_t serial_ = 0;  // the transaction the rows were read in
  std::map<Key, Held> rows_;
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_HELD_ROWS_H_
