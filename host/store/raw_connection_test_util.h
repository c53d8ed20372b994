// Helpers for the tests of the store's VFS: a raw SQLite connection, so that a test sees SQLite itself and not
// store::Database's choices, and a table to fill with transactions of a known size.
#ifndef TEMOIN_STORE_RAW_CONNECTION_TEST_UTIL_H_
#define TEMOIN_STORE_RAW_CONNECTION_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "store/wal_write_batching_vfs.h"

namespace temoin::store::testing {

class RawConnection {
 public:
  // `vfs` nullptr: SQLite's default VFS.
  RawConnection(const std::filesystem::path& file, const char* vfs) {
    rc_ = sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
  }
  ~RawConnection() { sqlite3_close(db_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool opened() const { return rc_ == SQLITE_OK; }
  sqlite3* handle() { return db_; }
  // Runs `sql`; returns SQLite's message on failure, "" on success.
  std::string Exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    std::string message = rc == SQLITE_OK ? "" : (error ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    return message;
  }
  // The first column of the first row `sql` returns, as text; "(error)" if it returns none.
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out = "(error)";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text ? reinterpret_cast<const char*>(text) : "(null)";
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

inline const char* OurVfs() {
  const char* vfs = WalWriteBatchingVfs();
  EXPECT_NE(vfs, nullptr);
  return vfs;
}

// WAL, the given `synchronous`, and a table `t` of blobs with an index on them.
inline void OpenForWriting(RawConnection& c, const char* synchronous) {
  ASSERT_TRUE(c.opened());
  ASSERT_EQ(c.Exec("PRAGMA journal_mode = WAL"), "");
  ASSERT_EQ(c.Exec(std::string("PRAGMA synchronous = ") + synchronous), "");
  ASSERT_EQ(c.Exec("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v BLOB)"), "");
  ASSERT_EQ(c.Exec("CREATE INDEX IF NOT EXISTS t_by_v ON t (v)"), "");
}

// One transaction of `rows` rows of 1 KiB of random bytes: rows / 3 pages or so of table, as many of index.
inline std::string InsertRows(int first, int rows) {
  return "BEGIN IMMEDIATE; WITH RECURSIVE n(i) AS (SELECT " + std::to_string(first) + " UNION ALL SELECT i + 1 FROM n "
         "WHERE i < " + std::to_string(first + rows - 1) + ") INSERT INTO t SELECT i, randomblob(1024) FROM n; COMMIT;";
}

}  // namespace temoin::store::testing

#endif  // TEMOIN_STORE_RAW_CONNECTION_TEST_UTIL_H_
