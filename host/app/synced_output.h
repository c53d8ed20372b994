// SyncedOutput: the host's standard output when its commits defer their WAL sync (store/wal_sync_deferral.h).
//
// The rule it keeps: what the host says leaves in the order it was said, and nothing leaves before every commit
// made before it was said is durable. So an acknowledgement never leaves before its event is on disk, and
// neither does a reply or an alert that was read from it.
//
// How: each write carries the number of the last commit made before it (0: none pending). While nothing is
// pending the bytes are written at once, on the caller's thread, as before; so is the first write that has to
// wait, after its sync (a cold start's one event never starts a thread). From the second write that has to wait,
// a writer thread takes over every write, in order: it gathers what is queued, syncs the WAL once for all of it,
// and writes it in one go. So the session's thread decodes, stores and catches up while the disk syncs, and one
// sync serves every batch that was committed while the last one ran.
//
// When output cannot go on (standard output closed, a sync failed) nothing more is written, and the session
// learns it from the next Write, from the callback it gave, and from Finish.
#ifndef TEMOIN_APP_SYNCED_OUTPUT_H_
#define TEMOIN_APP_SYNCED_OUTPUT_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "base/status.h"
#include "store/wal_sync_deferral.h"

namespace temoin::app {

// What must be durable before some bytes are written: the commits of `deferral` up to number `through`.
struct SyncTicket {
  store::WalSyncDeferral* deferral = nullptr;
  std::uint64_t through = 0;

  // The ticket for what is said now: every commit deferred so far, if any is not yet synced.
  static SyncTicket Now(store::WalSyncDeferral* deferral) {
    if (deferral == nullptr || !deferral->pending()) return {};
    return {deferral, deferral->deferred()};
  }
  bool needed() const { return deferral != nullptr && through > deferral->synced(); }
};

class SyncedOutput {
 public:
  // `on_end` is called once, from the writer thread, if output ends there (a failed sync, a closed fd); an end
  // found by Write on the caller's thread is its return value instead.
  explicit SyncedOutput(int fd, std::function<void()> on_end = {}) : fd_(fd), on_end_(std::move(on_end)) {}
  ~SyncedOutput() { Finish(); }
  SyncedOutput(const SyncedOutput&) = delete;
  SyncedOutput& operator=(const SyncedOutput&) = delete;

  // Writes `bytes` after `ticket`'s commits are durable; false once output has ended (nothing more is written).
  bool Write(std::string bytes, SyncTicket ticket);

  // Writes everything queued and stops the writer thread. Returns why output ended early, if it did: a failed
  // sync (kStorage) or a closed standard output (kIo); OK otherwise.
  Status Finish();

 private:
  void WriterLoop();
  // Syncs through `ticket`, then writes `bytes`; the first failure. The one path of both threads.
  Status SyncThenWrite(const std::string& bytes, SyncTicket ticket);
  // Writes all of `bytes` to fd_; the error, if standard output is closed.
  Status WriteAll(const std::string& bytes);

  const int fd_;
  const std::function<void()> on_end_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::string queued_;       // bytes waiting for the writer, in order
  SyncTicket queued_ticket_;  // the latest ticket among them
  bool finishing_ = false;
  bool waited_once_ = false;  // a write has waited for a sync (on the caller's thread)
  Status ended_;              // why output ended; OK while it goes on
  std::thread writer_;        // started by the first write that has to wait
};

}  // namespace temoin::app

#endif  // TEMOIN_APP_SYNCED_OUTPUT_H_
