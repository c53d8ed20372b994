#include "store/database.h"

#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>

#include "store/migrations.h"

namespace temoin::store {

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& file, const OpenOptions& options) {
  std::unique_ptr<Database> database;
  Status status = CatchStorage("cannot open the database", [&]() -> Status {
    int flags = options.read_only ? SQLite::OPEN_READONLY : (SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;  // one connection per thread of use; SQLite's own mutex would be wasted
    auto db = std::make_unique<SQLite::Database>(file.string(), flags, options.busy_timeout_ms);
    database.reset(new Database(std::move(db), file));
    SQLite::Database& sql = database->sql();

    // Read the version before writing anything: a newer database is left exactly as it is.
    int version = sql.execAndGet("PRAGMA user_version").getInt();
    if (version > LatestSchemaVersion()) {
      return StorageError("the database " + file.string() + " has schema " + std::to_string(version) +
                          ", newer than this program understands (" + std::to_string(LatestSchemaVersion()) +
                          "): install the newer Témoin that wrote it; nothing was changed");
    }
    if (options.read_only) {
      database->schema_version_ = version;
      return Status::Ok();
    }
    sql.exec("PRAGMA journal_mode = WAL");
    sql.exec("PRAGMA synchronous = FULL");
    sql.exec("PRAGMA foreign_keys = ON");
    // Keep the WAL from growing without bound on a host that runs all day.
    sql.exec("PRAGMA journal_size_limit = 8388608");
    return database->Migrate();
  });
  if (!status.ok()) return status;
  return database;
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
  return CatchStorage("cannot start a transaction (is another Témoin process holding the database?)", [&] {
    db_->exec("BEGIN IMMEDIATE");
    in_transaction_ = true;
    return Status::Ok();
  });
}

Status Database::Commit() {
  Status status = CatchStorage("cannot commit", [&] {
    db_->exec("COMMIT");
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
      db_->exec("ROLLBACK");
    } catch (const std::exception&) {
    }
  }
  in_transaction_ = false;
}

Status Database::Savepoint(const char* name) {
  return CatchStorage("cannot open a savepoint", [&] {
    db_->exec(std::string("SAVEPOINT ") + name);
    return Status::Ok();
  });
}

Status Database::Release(const char* name) {
  return CatchStorage("cannot release a savepoint", [&] {
    db_->exec(std::string("RELEASE ") + name);
    return Status::Ok();
  });
}

void Database::RollbackTo(const char* name) {
  try {
    db_->exec(std::string("ROLLBACK TO ") + name);
    db_->exec(std::string("RELEASE ") + name);
  } catch (const std::exception&) {
  }
}

Status Database::IntegrityCheck() {
  return CatchStorage("integrity check failed to run", [&]() -> Status {
    std::string answer = db_->execAndGet("PRAGMA integrity_check").getString();
    if (answer != "ok") return StorageError("the database is damaged: " + answer);
    return Status::Ok();
  });
}

}  // namespace temoin::store
