// temoin backup DEST: a consistent copy of the database, taken with SQLite's online backup API while hosts may
// be writing (they are not stopped and lose nothing: in WAL mode the copy reads one snapshot and writers go on).
//
// DEST is a file, or an existing folder (then the copy is DEST/temoin-backup-<UTC time>.db). The copy is written
// beside DEST under a temporary name (mode 0600), switched to a single self-contained file (journal_mode=DELETE,
// no -wal), checked (PRAGMA integrity_check and every hash chain), flushed to disk and only then renamed to DEST.
// An existing DEST is replaced only with --force. The report names each chain's head hash: keep it somewhere
// else (a mail to yourself) and it pins the log (docs/security.md). Restoring is described in docs/testing.md and
// docs/security.md ("Backup and restore").
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "protocol/timestamp.h"
#include "store/database.h"
#include "store/verify.h"

namespace temoin::cli {

namespace {

namespace fs = std::filesystem;

struct BackupOptions {
  std::string dest;
  bool force = false;
  bool json = false;
};

// "2026-07-14T09:30:00.123Z" -> "20260714T093000Z"
std::string CompactUtc(EpochMs now) {
  std::string text = protocol::FormatUtc(now);
  std::string out;
  for (char c : text.substr(0, 19)) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out + "Z";
}

Status SyncPath(const fs::path& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return Status(Code::kIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status(Code::kIo, "cannot flush " + path.string() + " to disk: " + std::strerror(err));
  return Status::Ok();
}

// Copies `source` into the new file `tmp` with the online backup API, retrying while the source is busy.
Status CopyDatabase(store::Database& source, const fs::path& tmp) {
  return store::CatchStorage("cannot back up the database", [&]() -> Status {
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

int RunBackup(CliContext& ctx, const BackupOptions& o) {
  if (o.dest.empty()) return Fail(ctx, Status(Code::kInvalidArgument, "backup needs a destination (a file or folder)"));
  fs::path dest = fs::absolute(o.dest);
  std::error_code ec;
  if (fs::is_directory(dest, ec)) dest /= "temoin-backup-" + CompactUtc(ctx.clock.NowMs()) + ".db";
  if (!fs::is_directory(dest.parent_path(), ec)) {
    return Fail(ctx, Status(Code::kIo, "the folder " + dest.parent_path().string() + " does not exist"));
  }
  if (fs::exists(dest, ec) && !o.force) {
    return Fail(ctx, Status(Code::kInvalidArgument, dest.string() + " already exists (use --force to replace it)"));
  }

  auto db = OpenStore(ctx);
  if (!db.ok()) return Fail(ctx, db.status());
  if (fs::exists(dest, ec) && fs::equivalent(dest, (*db)->path(), ec)) {
    return Fail(ctx, Status(Code::kInvalidArgument, "the destination is the database itself"));
  }

  // The temporary copy: created private (0600) and exclusively, whatever the umask.
  fs::path tmp = dest;
  tmp += ".partial-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(ctx, Status(Code::kIo, "cannot create " + tmp.string() + ": " + std::strerror(errno)));
  ::close(fd);
  auto discard = [&] {
    fs::remove(tmp, ec);
    fs::remove(fs::path(tmp.string() + "-journal"), ec);
  };

  Status copied = CopyDatabase(**db, tmp);
  if (!copied.ok()) {
    discard();
    return Fail(ctx, copied);
  }

  // Check the copy as a restore would use it, before it takes DEST's name.
  Status integrity;
  Result<store::VerifyReport> report = Status(Code::kInternal, "the copy was not checked");
  {
    store::OpenOptions check_options;
    check_options.read_only = true;
    auto copy = store::Database::Open(tmp, check_options);
    if (!copy.ok()) {
      discard();
      return Fail(ctx, copy.status());
    }
    integrity = (*copy)->IntegrityCheck();
    report = store::VerifyLog(**copy);
  }  // the copy is closed before the rename
  if (!integrity.ok() || !report.ok()) {
    discard();
    return Fail(ctx, !integrity.ok() ? integrity : report.status());
  }
  Status synced = SyncPath(tmp, false);
  if (synced.ok()) {
    fs::rename(tmp, dest, ec);
    if (ec) synced = Status(Code::kIo, "cannot rename " + tmp.string() + " to " + dest.string() + ": " + ec.message());
  }
  if (synced.ok()) synced = SyncPath(dest.parent_path(), true);
  if (!synced.ok()) {
    discard();
    return Fail(ctx, synced);
  }

  if (o.json) {
    nlohmann::json chains = nlohmann::json::array();
    for (const auto& [key, head] : report->chains) {
      chains.push_back({{"platform", key.first}, {"account", key.second}, {"events", head.events},
                        {"last_seq", head.last_seq}, {"head_hash", head.hash}});
    }
    ctx.out << nlohmann::json{{"path", dest.string()}, {"events", report->events}, {"chains_ok", report->ok()},
                              {"chains", chains}}
                   .dump(2)
            << "\n";
  } else {
    ctx.out << "Backed up " << report->events << " events to " << dest.string() << "\n";
    if (!report->ok()) {
      ctx.out << "WARNING: the log was already altered before this backup (run temoin verify)\n";
    }
    for (const auto& [key, head] : report->chains) {
      ctx.out << "  " << key.first << "/" << key.second << ": " << head.events << " events, head " << head.hash << "\n";
    }
    ctx.out << "To restore it, see docs/security.md (\"Backup and restore\").\n";
  }
  // The copy is faithful either way; a log altered before the backup is reported like verify does.
  return report->ok() ? kExitOk : kExitProblemFound;
}

}  // namespace

void AddBackupCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand(
      "backup", "Copy the database to DEST (a file or folder) safely, even while browsers are writing to it");
  auto o = std::make_shared<BackupOptions>();
  cmd->add_option("DEST", o->dest, "The backup file, or a folder to write temoin-backup-<time>.db into")->required();
  cmd->add_flag("--force", o->force, "Replace DEST if it exists");
  cmd->add_flag("--json", o->json, "Print the report as JSON");
  cmd->callback([&ctx, o] { ctx.exit_code = RunBackup(ctx, *o); });
}

}  // namespace temoin::cli
