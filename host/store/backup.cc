#include "store/backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

namespace temoin::store {

namespace fs = std::filesystem;

namespace {

// Copies `source` into the new file `tmp` with the online backup API, retrying while the source is busy.
Status CopyDatabase(Database& source, const fs::path& tmp) {
  return CatchStorage("cannot back up the database", [&]() -> Status {
    SQLite::Database dest(tmp.string(), SQLite::OPEN_READWRITE);
    {
      SQLite::Backup backup(dest, source.sql());
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (true) {
        // All pages in one step: one consistent snapshot of the source, however busy the writers are.
        int rc = backup.executeStep(-1);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED && rc != SQLITE_OK) {
          return StorageError("the backup stopped with SQLite error " + std::to_string(rc));
        }
        if (std::chrono::steady_clock::now() > deadline) {
          return StorageError("the database stayed busy for 30 s; nothing was backed up, try again");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    // A single self-contained file: no -wal or -shm beside it.
    dest.exec("PRAGMA journal_mode = DELETE");
    return Status::Ok();
  });
}

}  // namespace

Status SyncPath(const fs::path& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return Status(Code::kIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status(Code::kIo, "cannot flush " + path.string() + " to disk: " + std::strerror(err));
  return Status::Ok();
}

Result<VerifyReport> WriteBackup(Database& source, const fs::path& dest) {
  std::error_code ec;
  if (fs::exists(dest, ec) && fs::equivalent(dest, source.path(), ec)) {
    return Status(Code::kInvalidArgument, "the destination is the database itself");
  }
  if (!fs::is_directory(dest.parent_path(), ec)) {
    return Status(Code::kIo, "the folder " + dest.parent_path().string() + " does not exist");
  }

  // The temporary copy: created private (0600) and exclusively, whatever the umask.
  fs::path tmp = dest;
  tmp += ".partial-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status(Code::kIo, "cannot create " + tmp.string() + ": " + std::strerror(errno));
  ::fchmod(fd, 0600);
  ::close(fd);
  auto discard = [&] {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    fs::remove(fs::path(tmp.string() + "-journal"), ignored);
  };

  Status copied = CopyDatabase(source, tmp);
  if (!copied.ok()) {
    discard();
    return copied;
  }

  // Check the copy as a restore would use it, before it takes its name.
  Status integrity;
  Result<VerifyReport> report = Status(Code::kInternal, "the copy was not checked");
  {
    OpenOptions check_options;
    check_options.read_only = true;
    auto copy = Database::Open(tmp, check_options);
    if (!copy.ok()) {
      discard();
      return copy.status();
    }
    integrity = (*copy)->IntegrityCheck();
    report = VerifyLog(**copy);
  }  // the copy is closed before the rename
  if (!integrity.ok() || !report.ok()) {
    discard();
    return !integrity.ok() ? integrity : report.status();
  }
  Status synced = SyncPath(tmp, false);
  if (synced.ok()) {
    fs::rename(tmp, dest, ec);
    if (ec) synced = Status(Code::kIo, "cannot rename " + tmp.string() + " to " + dest.string() + ": " + ec.message());
  }
  if (synced.ok()) synced = SyncPath(dest.parent_path(), true);
  if (!synced.ok()) {
    discard();
    return synced;
  }
  return report;
}

}  // namespace temoin::store
