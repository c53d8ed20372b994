#include "store/database.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "store/migrations.h"
#include "test_support/temp_dir.h"

namespace temoin::store {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Database, AppliesEveryMigrationAndUsesWalWithFullSync) {
  temoin::testing::TempDir dir;
  auto db = Database::Open(dir.path() / "t.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ((*db)->schema_version(), LatestSchemaVersion());
  EXPECT_EQ((*db)->sql().execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ((*db)->sql().execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
  EXPECT_TRUE((*db)->sql().tableExists("events"));
  EXPECT_TRUE((*db)->IntegrityCheck().ok());
}

TEST(Database, ReopeningDoesNotMigrateAgain) {
  temoin::testing::TempDir dir;
  { ASSERT_TRUE(Database::Open(dir.path() / "t.db").ok()); }
  auto again = Database::Open(dir.path() / "t.db");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->schema_version(), LatestSchemaVersion());
}

TEST(Database, RefusesANewerDatabaseWithoutWritingToIt) {
  temoin::testing::TempDir dir;
  auto path = dir.path() / "newer.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE future(x); PRAGMA user_version = 99;", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  std::string before = ReadFile(path);
  auto db = Database::Open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Code::kStorage);
  EXPECT_NE(db.status().message().find("newer"), std::string::npos) << db.status().message();
  EXPECT_EQ(ReadFile(path), before) << "the newer database was modified";
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "newer.db-wal")) << "switched to WAL";
}

TEST(Database, TheLogRefusesUpdatesAndDeletes) {
  auto db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  auto& sql = (*db)->sql();
  sql.exec("INSERT INTO events (seq, id, type, platform, account, at, at_ms, received_at, body, prev_hash, hash) "
           "VALUES (1, 'a', 'heartbeat', 'p', 'a', 'x', 0, 'y', '{}', 'h0', 'h1')");
  EXPECT_THROW(sql.exec("UPDATE events SET body = '{\"x\":1}' WHERE seq = 1"), std::exception);
  EXPECT_THROW(sql.exec("DELETE FROM events WHERE seq = 1"), std::exception);
  EXPECT_EQ(sql.execAndGet("SELECT body FROM events WHERE seq = 1").getString(), "{}");
}

TEST(Database, MigrationsAreNumberedFromOneWithoutGaps) {
  int expected = 1;
  for (const auto& m : Migrations()) {
    EXPECT_EQ(m.version, expected++);
    EXPECT_FALSE(m.sql.empty());
  }
}

}  // namespace
}  // namespace temoin::store
