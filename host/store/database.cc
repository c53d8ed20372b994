#include "store/database.h"

#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "store/migrations.h"
#include "store/wal_write_batching_vfs.h"

namespace temoin::store {

void ConfigureSqliteForThisProcess() { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& file, const OpenOptions& options) {
  std::unique_ptr<Database> database;
  Status status = CatchStorage("cannot open the database", [&]() -> Status {
    int flags = options.read_only ? SQLite::OPEN_READONLY : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;  // one connection per thread of use; SQLite's own mutex would be wasted
    // SQLite's own busy handler waits in short slices; Begin() retries on top of it until the whole budget is
    // spent, because some lock conflicts (a WAL checkpoint or recovery by another process) return busy at once.
    // A commit's WAL frames reach the file in a few writes of 64 KiB instead of two writes a page
    // (wal_write_batching_vfs.h), and a checkpoint never overlaps another connection's commit
    // (checkpoint_excludes_writers.h); should that VFS be unavailable, SQLite's default one.
    const char* vfs = WalWriteBatchingVfs();
    auto db = std::make_unique<SQLite::Database>(file.string(), flags, std::min(options.busy_timeout_ms, 200),
                                                 vfs != nullptr ? vfs : "");
    database.reset(new Database(std::move(db), file));
    database->busy_budget_ms_ = options.busy_timeout_ms;
    // Two hosts starting at once on a new file: switching it to WAL needs the file to itself, and SQLite answers
    // "locked" at once rather than waiting (measured: one start in ten failed). The set-up is idempotent, so it
    // is tried again within the same busy budget as Begin().
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
    while (true) {
      try {
        return database->Configure(options);
      } catch (const SQLite::Exception& e) {
        int code = e.getErrorCode() & 0xff;
        bool busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
        if (!busy || std::chrono::steady_clock::now() >= deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
  });
  if (!status.ok()) return status;
  return database;
}

Status Database::Configure(const OpenOptions& options) {
  SQLite::Database& sql = *db_;
  const std::filesystem::path& file = path_;
  {
    // Read the version before writing anything: a newer database is left exactly as it is.
    int version = sql.execAndGet("PRAGMA user_version").getInt();
    if (version > LatestSchemaVersion()) {
      return StorageError("the database " + file.string() + " has schema " + std::to_string(version) +
                          ", newer than this program understands (" + std::to_string(LatestSchemaVersion()) +
                          "): install the newer Témoin that wrote it; nothing was changed");
    }
    if (options.read_only) {
      schema_version_ = version;
      return Status::Ok();
    }
    sql.exec("PRAGMA journal_mode = WAL");
    sql.exec("PRAGMA synchronous = FULL");
    sql.exec("PRAGMA foreign_keys = ON");
    // A batch with a failing event runs again with each event in a savepoint (app/request_handler.cc); with
    // temporary files, SQLite would write every page an event touches into a sub-journal file (created and
    // deleted per batch): 18 writes an event. In memory they cost a page copy, freed at RELEASE.
    sql.exec("PRAGMA temp_store = MEMORY");
    // A long-lived host sits next to the browser all day: 1 MiB of page cache (SQLite's default is 2 MiB) keeps
    // its resident memory under 8 MiB after a million events; the OS page cache holds the rest of the file.
    sql.exec("PRAGMA cache_size = -1024");
    // A checkpoint every 4,000 pages of WAL (SQLite's default is 1,000): the pages a stream of events keeps
    // rewriting (the log's last leaf, the upper levels of its indexes) are copied to the database once per
    // checkpoint, so fewer checkpoints copy fewer pages: over 20k events a third fewer reads and writes, and
    // 13-14k frames/s against 10.5-10.7k over 200k (docs/performance.md). The WAL then peaks near 16.5 MB.
    sql.exec("PRAGMA wal_autocheckpoint = 4000");
    // Keep the WAL from growing without bound on a host that runs all day; above its usual peak, so that it is
    // not cut and grown again after every checkpoint.
    sql.exec("PRAGMA journal_size_limit = 20971520");
    return Migrate();
  }
}

Status Database::Migrate() {
  int version = db_->execAndGet("PRAGMA user_version").getInt();
  if (version >= LatestSchemaVersion()) {
    schema_version_ = version;
    return Status::Ok();
  }
  TEMOIN_RETURN_IF_ERROR(Begin());
  Status status = CatchStorage("cannot apply the schema migrations", [&]() -> Status {
    // Another process may have migrated while we waited for the lock.
    int current = db_->execAndGet("PRAGMA user_version").getInt();
    for (const Migration& m : Migrations()) {
      if (m.version <= current) continue;
      db_->exec(std::string(m.sql));
      db_->exec("PRAGMA user_version = " + std::to_string(m.version));
      current = m.version;
    }
    schema_version_ = current;
    return Status::Ok();
  });
  if (!status.ok()) {
    Rollback();
    return status;
  }
  return Commit();
}

Status Database::Begin() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_budget_ms_);
  while (true) {
    try {
      Prepare("BEGIN IMMEDIATE").exec();
      in_transaction_ = true;
      ++transaction_serial_;
      return Status::Ok();
    } catch (const SQLite::Exception& e) {
      bool busy = (e.getErrorCode() & 0xff) == SQLITE_BUSY || (e.getErrorCode() & 0xff) == SQLITE_LOCKED;
      if (!busy || std::chrono::steady_clock::now() >= deadline) {
        std::string why = busy ? "another Témoin process held the database for too long" : e.what();
        return StorageError("cannot start a transaction: " + why + " (" + e.what() + ")");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } catch (const std::exception& e) {
      return StorageError(std::string("cannot start a transaction: ") + e.what());
    }
  }
}

Status Database::Commit() {
  Status status = CatchStorage("cannot commit", [&] {
    Prepare("COMMIT").exec();
    return Status::Ok();
  });
  if (!status.ok()) Rollback();
  in_transaction_ = false;
  return status;
}

void Database::Rollback() {
  // After a failed COMMIT SQLite may already have rolled back; a second rollback error is of no interest.
  if (sqlite3_get_autocommit(db_->getHandle()) == 0) {
    try {
      Prepare("ROLLBACK").exec();
    } catch (const std::exception&) {
    }
  }
  in_transaction_ = false;
}

Status Database::Savepoint(const char* name) {
  return CatchStorage("cannot open a savepoint", [&] {
    Prepare(std::string("SAVEPOINT ") + name).exec();
    return Status::Ok();
  });
}

Status Database::Release(const char* name) {
  return CatchStorage("cannot release a savepoint", [&] {
    Prepare(std::string("RELEASE ") + name).exec();
    return Status::Ok();
  });
}

void Database::RollbackTo(const char* name) {
  ++transaction_serial_;  // what caches read or wrote since the savepoint may be undone
  try {
    Prepare(std::string("ROLLBACK TO ") + name).exec();
    Prepare(std::string("RELEASE ") + name).exec();
  } catch (const std::exception&) {
  }
}

namespace {

Status RunCheck(SQLite::Database& db, const char* pragma) {
  return CatchStorage("integrity check failed to run", [&]() -> Status {
    std::string answer = db.execAndGet(pragma).getString();
    if (answer != "ok") return StorageError("the database is damaged: " + answer);
    return Status::Ok();
  });
}

}  // namespace

Result<WalSyncDeferral*> Database::DeferWalSyncs() {
  if (wal_sync_deferral_ != nullptr) return wal_sync_deferral_.get();
  // The WAL's name as SQLite made it: from the database's full path, symbolic links resolved.
  const char* db_file = sqlite3_db_filename(db_->getHandle(), "main");
  if (db_file == nullptr || *db_file == '\0') {
    return StorageError("the database " + path_.string() + " is in memory: it has no WAL to defer syncs of");
  }
  auto deferral = std::make_unique<WalSyncDeferral>(sqlite3_filename_wal(db_file));
  int rc = sqlite3_file_control(db_->getHandle(), "main", kDeferWalSyncsFileControl, deferral.get());
  if (rc != SQLITE_OK) {
    return StorageError("the connection to " + path_.string() + " cannot defer its WAL syncs (" +
                        sqlite3_errstr(rc) + "): it is not on the store's VFS");
  }
  wal_sync_deferral_ = std::move(deferral);
  return wal_sync_deferral_.get();
}

Status Database::IntegrityCheck() { return RunCheck(*db_, "PRAGMA integrity_check"); }

Status Database::QuickCheck() { return RunCheck(*db_, "PRAGMA quick_check"); }

}  // namespace temoin::store
