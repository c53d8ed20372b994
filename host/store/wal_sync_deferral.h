// WalSyncDeferral: lets one connection's commits return before its WAL is synced, and whoever speaks for them
// (the host's acknowledgements) sync it afterwards, on another thread, for every commit made until then at once.
//
// Why: the host acknowledges an event only once its commit is on disk. Syncing inside the commit keeps the host's
// one thread idle for the whole `fdatasync`, a tenth to a third of a stream's time on the machines measured
// (docs/performance.md, "The WAL's sync beside the work"). Deferred, the thread decodes the next batch and brings
// the views up to date while another waits for the disk.
//
// What stays true (the rules are enforced by the VFS, store/wal_write_batching_vfs.cc):
//  - A commit's frames are written to the WAL (not merely gathered) before its sync is deferred, so one
//    `fdatasync` of the WAL makes every commit deferred before it durable.
//  - Nothing is ever written to the database file while a deferred sync is pending: a checkpoint copying frames
//    that are not yet durable would leave pages on disk that the WAL cannot restore after a power loss. The VFS
//    syncs through this object first.
//  - The WAL's first sync (it syncs its folder too, so that the file survives a power loss) is never deferred.
//  - Only the connection that asked defers; every other connection (another host, the CLI) syncs as before, and
//    its syncs cover this one's frames too (a sync is of the file).
//  - What changes: another connection may read a commit before it is durable. The host says nothing of it before
//    SyncThrough returns, so a power loss takes back only what nobody was told was stored.
//  - A failed sync is final: after a failed `fdatasync` the kernel may have dropped the pages it could not write,
//    so no later sync can vouch for them. Every later SyncThrough returns the first failure.
#ifndef TEMOIN_STORE_WAL_SYNC_DEFERRAL_H_
#define TEMOIN_STORE_WAL_SYNC_DEFERRAL_H_

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>

#include "base/status.h"

namespace temoin::store {

class WalSyncDeferral {
 public:
  // `wal_file`: the WAL of the connection that defers (the database's path and "-wal"). Opened at the first sync.
  explicit WalSyncDeferral(std::filesystem::path wal_file);
  ~WalSyncDeferral();
  WalSyncDeferral(const WalSyncDeferral&) = delete;
  WalSyncDeferral& operator=(const WalSyncDeferral&) = delete;

  // Called by the VFS on the connection's thread, after a commit's frames reached the WAL file and instead of
  // syncing it. Returns the commit's number (1, 2, ...).
  std::uint64_t Defer() { return deferred_.fetch_add(1) + 1; }

  // The number of the last commit whose sync was deferred, and the last one known durable. Any thread.
  std::uint64_t deferred() const { return deferred_.load(); }
  std::uint64_t synced() const { return synced_.load(); }
  bool pending() const { return synced() < deferred(); }

  // Makes every commit up to number `through` durable: syncs the WAL unless an earlier sync already covered it.
  // Any thread; one sync at a time (a caller that waited for another's sync usually finds its commit covered).
  Status SyncThrough(std::uint64_t through);

  // Syncs whatever is pending (the VFS, before writing to the database file).
  Status SyncAll() { return SyncThrough(deferred()); }

  // How many times the WAL was synced here: for tests and the bench.
  std::uint64_t syncs() const { return syncs_.load(); }

 private:
  std::filesystem::path wal_file_;
  std::atomic<std::uint64_t> deferred_{0};
  std::atomic<std::uint64_t> synced_{0};
  std::atomic<std::uint64_t> syncs_{0};
  std::mutex mu_;   // held across each sync; guards what follows
  int fd_ = -1;
  Status failed_;   // the first failure, returned ever after
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_WAL_SYNC_DEFERRAL_H_
