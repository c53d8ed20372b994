#include "store/checkpoint_excludes_writers.h"

namespace temoin::store {

namespace {

constexpr int kTakeExclusive = SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE;
constexpr int kDropExclusive = SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE;

bool Covers(int offset, int n, int slot) { return offset <= slot && slot < offset + n; }

}  // namespace

int CheckpointExcludesWriters::Lock(int offset, int n, int flags, const RealLock& real) {
  const bool exclusive = (flags & SQLITE_SHM_EXCLUSIVE) != 0;
  const bool take = (flags & SQLITE_SHM_LOCK) != 0;
  // Shared locks (readers) and exclusive ones on other slots are SQLite's alone. SQLite asks for the writer
  // lock by itself (n = 1); a range from slot 1 up is a checkpoint's (slot 1 alone) or a recovery's.
  if (!exclusive) return real(offset, n, flags);
  if (offset == kWriterSlot && n == 1) {
    if (take) {
      if (writer_for_checkpoint_) {
        writer_for_sqlite_ = true;  // already held: this connection's checkpoint took it
        return SQLITE_OK;
      }
      const int rc = real(offset, n, flags);
      if (rc == SQLITE_OK) writer_for_sqlite_ = true;
      return rc;
    }
    writer_for_sqlite_ = false;
    return writer_for_checkpoint_ ? SQLITE_OK : real(offset, n, flags);
  }
  if (!Covers(offset, n, kCheckpointerSlot)) return real(offset, n, flags);

  if (take) {
    // A recovery holds the writer lock already; so does a checkpoint that recovers.
    if (writer_for_sqlite_ || writer_for_checkpoint_) return real(offset, n, flags);
    int rc = real(kWriterSlot, 1, kTakeExclusive);
    if (rc != SQLITE_OK) return rc;  // a writer is at work: no checkpoint now
    rc = real(offset, n, flags);
    if (rc != SQLITE_OK) {
      real(kWriterSlot, 1, kDropExclusive);
      return rc;
    }
    writer_for_checkpoint_ = true;
    return SQLITE_OK;
  }
  const int rc = real(offset, n, flags);
  if (writer_for_checkpoint_) {
    writer_for_checkpoint_ = false;
    if (!writer_for_sqlite_) real(kWriterSlot, 1, kDropExclusive);
  }
  return rc;
}

}  // namespace temoin::store
