#include "store/wal_sync_deferral.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace temoin::store {

WalSyncDeferral::WalSyncDeferral(std::filesystem::path wal_file) : wal_file_(std::move(wal_file)) {}

WalSyncDeferral::~WalSyncDeferral() {
  // The WAL has no locks of its own (SQLite's are on the database and -shm files), so closing this second
  // descriptor releases none of the connection's.
  if (fd_ >= 0) ::close(fd_);
}

Status WalSyncDeferral::SyncThrough(std::uint64_t through) {
  if (synced_.load() >= through) return Status::Ok();
  std::lock_guard<std::mutex> lock(mu_);
  if (!failed_.ok()) return failed_;
  if (synced_.load() >= through) return Status::Ok();  // another caller's sync covered it while this one waited
  // Read before the sync: every commit numbered up to here wrote its frames before it was numbered.
  const std::uint64_t covered = deferred_.load();
  if (fd_ < 0) {
    do {
      fd_ = ::open(wal_file_.c_str(), O_RDWR | O_CLOEXEC);
    } while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) {
      failed_ = StorageError("cannot open the WAL " + wal_file_.string() + " to sync it: " + std::strerror(errno));
      return failed_;
    }
  }
  int rc;
  do {
    rc = ::fdatasync(fd_);
  } while (rc != 0 && errno == EINTR);
  syncs_.fetch_add(1);
  if (rc != 0) {
    failed_ = StorageError("syncing the WAL " + wal_file_.string() + " failed: " + std::strerror(errno) +
                           "; nothing more is acknowledged");
    return failed_;
  }
  synced_.store(covered);  // only written here, under the lock, and `covered` never goes back
  return Status::Ok();
}

}  // namespace temoin::store
