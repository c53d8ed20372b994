// CheckpointExcludesWriters: one connection's shared-memory locks, arranged so that a checkpoint of the WAL
// always holds the WAL's writer lock, and so never runs while another connection commits.
//
// Why: SQLite 3.7.0 to 3.51.2 has a data race, the "WAL-reset bug" (sqlite.org/wal.html#walresetbug, fixed in
// 3.51.3): a checkpoint that starts just after another one finished, while a third connection commits a
// transaction that restarts the WAL from its beginning, can record frames of that transaction as already copied
// to the database; a later checkpoint then skips them and the next restart of the WAL overwrites them. That is
// committed, acknowledged events lost, and it needs exactly what Témoin does: several processes (two browsers'
// hosts, `temoin check`) committing to one database, each checkpointing after its commits. Debian 12's SQLite is
// 3.40.1, without the fix. A checkpoint that holds the writer lock cannot overlap a commit, which closes the race.
//
// How: SQLite's default (passive) checkpoint takes the checkpointer lock alone. Here, taking the checkpointer
// lock first takes the writer lock; if a writer holds it, the checkpoint is refused as busy (SQLite then skips
// it: an automatic checkpoint is tried again after the next commit). SQLite's own later request for the writer
// lock inside such a checkpoint (FULL and stronger modes, or a recovery) is granted from the lock already held.
// Readers are never blocked; writers wait (their busy handler) while a checkpoint copies, as they would for any
// other writer.
//
// The lock slots are those of SQLite's WAL-index format (sqlite.org/walformat.html), which every SQLite version
// sharing a database must agree on: slot 0 the writer, slot 1 the checkpointer, then recovery and the readers.
// One object per database file a connection opens; it keeps no other state and makes no system call of its own.
#ifndef TEMOIN_STORE_CHECKPOINT_EXCLUDES_WRITERS_H_
#define TEMOIN_STORE_CHECKPOINT_EXCLUDES_WRITERS_H_

#include <sqlite3.h>

#include <functional>

namespace temoin::store {

class CheckpointExcludesWriters {
 public:
  static constexpr int kWriterSlot = 0;
  static constexpr int kCheckpointerSlot = 1;

  // Takes the real lock `offset`, `n`, `flags` (an xShmLock call) through `real`, with the writer lock added to
  // or kept for a checkpoint as above; returns what xShmLock returns (SQLITE_OK, SQLITE_BUSY, an I/O error).
  using RealLock = std::function<int(int offset, int n, int flags)>;
  int Lock(int offset, int n, int flags, const RealLock& real);

  // Whether the writer lock is held for a checkpoint, not (only) because SQLite asked for it.
  bool holds_writer_for_checkpoint() const { return writer_for_checkpoint_; }

 private:
  bool writer_for_checkpoint_ = false;
  bool writer_for_sqlite_ = false;
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_CHECKPOINT_EXCLUDES_WRITERS_H_
