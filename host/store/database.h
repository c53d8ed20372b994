// Database: one SQLite connection to temoin.db, opened the way every writer must open it.
//
//  - A database whose schema is newer than this binary is refused before anything is written to it (not even
//    the switch to WAL): an older binary must not touch a newer record.
//  - WAL with synchronous=FULL: a commit is on disk, also against power loss, before it returns. Speed comes
//    from committing many events in one transaction (group commit), never from weaker durability. The one
//    exception is asked for: the long-lived host's connection returns from a commit before the WAL's sync and
//    says nothing of it until the sync is done, on another thread (DeferWalSyncs, store/wal_sync_deferral.h).
//  - Writers take the lock up front (BEGIN IMMEDIATE) and wait for each other up to a busy timeout, so two hosts
//    (two browsers) interleave whole transactions and keep every chain valid.
//  - Pending migrations (store/migrations.h) are applied in one transaction at open.
// SQLiteCpp throws; this layer catches and returns Status values (code kStorage) so nothing above it throws.
#ifndef TEMOIN_STORE_DATABASE_H_
#define TEMOIN_STORE_DATABASE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <SQLiteCpp/Database.h>

#include "base/status.h"
#include "store/statement_cache.h"
#include "store/wal_sync_deferral.h"

namespace temoin::store {

struct OpenOptions {
  // How long a writer waits for other writers before giving up with a `storage` error (nothing stored; the
  // extension retries). Four writers whose batches run the alert rules can hold the lock for over a second each
  // on a slow machine, so the budget is generous; the price is that a host told to stop while it waits may be
  // killed by Chrome after 2 s, which loses nothing: the batch it waited for was never acknowledged.
  int busy_timeout_ms = 4000;
  // Open without creating or migrating (read-only tools on a database that must already exist).
  bool read_only = false;
};

class Database {
 public:
  // Opens (creating if needed) the database file. ":memory:" opens a private in-memory database (tests, fuzz).
  static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& file, const OpenOptions& options = {});

  SQLite::Database& sql() { return *db_; }
  // The connection's compiled statement for `sql` (store/statement_cache.h); throws like SQLite::Statement.
  CachedStatement Prepare(std::string_view sql) { return statements_.Get(sql); }
  // The same statement to read through SQLite's C API (store/statement_cache.h, RawStatement).
  RawStatement PrepareRaw(std::string_view sql) { return statements_.GetRaw(sql); }
  std::size_t statements_cached() const { return statements_.size(); }
  int schema_version() const { return schema_version_; }
  const std::filesystem::path& path() const { return path_; }

  // BEGIN IMMEDIATE / COMMIT / ROLLBACK. Commit failing means nothing of the transaction is stored.
  Status Begin();
  Status Commit();
  void Rollback();
  bool in_transaction() const { return in_transaction_; }
  // Counts the transactions begun on this connection and the savepoints rolled back in them: what a cache of
  // rows read inside a transaction keys on. While this connection holds the write lock (BEGIN IMMEDIATE), no
  // other process can change what it read, and a ROLLBACK TO may have undone what it wrote.
  std::uint64_t transaction_serial() const { return transaction_serial_; }

  // The tail of the event log as appends inside the current transaction left it: the next seq and each chain's
  // head hash, so that an append need not look them up again (store/event_log.cc keeps it; valid while
  // `serial` equals transaction_serial()). It lives on the connection because every EventLog on it appends to
  // the same log: the alert service's and, in a transaction of their own, the request handler's.
  struct LogTail {
    std::uint64_t serial = 0;
    std::int64_t next_seq = 0;
    std::unordered_map<std::string, std::string> heads;  // "<platform length>:<platform><account>" -> hash
  };
  LogTail& log_tail() { return log_tail_; }

  // Savepoints nest inside a transaction so one event's failure does not undo its batch.
  Status Savepoint(const char* name);
  Status Release(const char* name);
  void RollbackTo(const char* name);

  // From now on this connection's commits return before its WAL is synced, and whoever reports them syncs it
  // first (store/wal_sync_deferral.h): the long-lived host, which syncs on another thread before it acknowledges.
  // Fails where the connection is not on the store's VFS (then commits keep syncing); the deferral is the
  // connection's for its whole life.
  Result<WalSyncDeferral*> DeferWalSyncs();
  // The deferral DeferWalSyncs made, or nullptr.
  WalSyncDeferral* wal_sync_deferral() { return wal_sync_deferral_.get(); }

  // Runs `PRAGMA integrity_check`; OK when SQLite answers "ok".
  Status IntegrityCheck();
  // Runs `PRAGMA quick_check`; OK when SQLite answers "ok". It checks every page and b-tree of the file (page
  // structure, record format, cell order, free list, NOT NULL and CHECK constraints) but neither that each index
  // holds exactly its table's rows nor UNIQUE constraints: what integrity_check adds, at five times the cost on
  // a million events (docs/performance.md).
  Status QuickCheck();

 private:
  Database(std::unique_ptr<SQLite::Database> db, std::filesystem::path path)
      : db_(std::move(db)), statements_(*db_), path_(std::move(path)) {}
  // The pragmas and migrations of Open; throws SQLite::Exception (Open retries it while another process is busy).
  Status Configure(const OpenOptions& options);
  Status Migrate();

  // Before db_: the VFS points at it until the connection is closed.
  std::unique_ptr<WalSyncDeferral> wal_sync_deferral_;
  std::unique_ptr<SQLite::Database> db_;
  StatementCache statements_;  // after db_: destroyed before the connection closes
  std::filesystem::path path_;
  int schema_version_ = 0;
  int busy_budget_ms_ = 1500;
  bool in_transaction_ = false;
  std::uint64_t transaction_serial_ = 0;
  LogTail log_tail_;
};

// Process-wide SQLite settings, for main() to call before anything opens a database (SQLite refuses them
// afterwards, and they are not thread-safe): no memory statistics. Nothing reads them, and keeping them took a
// global mutex and a counter update on every allocation SQLite makes, about a hundred an event stored (4% of
// the ingest's instructions). Without the call SQLite keeps its defaults: slower, otherwise the same.
void ConfigureSqliteForThisProcess();

// Runs `fn` and turns a SQLite exception into a kStorage Status with `what` as context.
template <typename Fn>
Status CatchStorage(const char* what, Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return StorageError(std::string(what) + ": " + e.what());
  }
}

}  // namespace temoin::store

#endif  // TEMOIN_STORE_DATABASE_H_
