#include "store/backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include <SQLiteCpp/Database.h>

#include "store/store_test_util.h"
#include "test_support/temp_dir.h"

namespace temoin::store {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using temoin::testing::TempDir;

unsigned Mode(const fs::path& p) {
  struct stat st{};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::unique_ptr<Database> FileDatabase(const fs::path& file, int events) {
  auto db = Database::Open(file);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  for (int i = 0; i < events; ++i) {
    testing::Store(**db, json{{"type", "balance"}, {"id", "b-" + std::to_string(i)},
                             {"at", "2026-07-14T09:30:00Z"}, {"amount", std::to_string(100 + i) + ".00"},
                             {"currency", "USD"}});
  }
  return std::move(db).value();
}

TEST(Backup, WritesOneCheckedPrivateSelfContainedFile) {
  TempDir dir;
  auto db = FileDatabase(dir.path() / "temoin.db", 5);
  ::mode_t old = ::umask(0);  // whatever the umask, the copy is 0600
  auto report = WriteBackup(*db, dir.path() / "copy.db");
  ::umask(old);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->events, 5);
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(Mode(dir.path() / "copy.db"), 0600u);
  EXPECT_FALSE(fs::exists(dir.path() / "copy.db-wal"));
  // Nothing else was left in the folder (no temporary file).
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    if (e.path().filename().string().rfind("copy.db", 0) == 0) ++files;
  }
  EXPECT_EQ(files, 1);
  SQLite::Database copy((dir.path() / "copy.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(copy.execAndGet("SELECT COUNT(*) FROM events").getInt(), 5);
  EXPECT_EQ(copy.execAndGet("PRAGMA journal_mode").getString(), "delete");
}

TEST(Backup, ReplacesAnExistingFileAtomically) {
  TempDir dir;
  auto db = FileDatabase(dir.path() / "temoin.db", 2);
  std::ofstream(dir.path() / "copy.db") << "old";
  auto report = WriteBackup(*db, dir.path() / "copy.db");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  SQLite::Database copy((dir.path() / "copy.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(copy.execAndGet("SELECT COUNT(*) FROM events").getInt(), 2);
}

TEST(Backup, RefusesTheDatabaseItselfAndAMissingFolder) {
  TempDir dir;
  auto db = FileDatabase(dir.path() / "temoin.db", 1);
  auto self = WriteBackup(*db, dir.path() / "temoin.db");
  EXPECT_FALSE(self.ok());
  EXPECT_EQ(self.status().code(), Code::kInvalidArgument);
  auto missing = WriteBackup(*db, dir.path() / "nowhere" / "copy.db");
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kIo);
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos) << missing.status().message();
  EXPECT_FALSE(fs::exists(dir.path() / "nowhere"));
}

TEST(Backup, AnAlteredLogIsCopiedFaithfullyAndReported) {
  TempDir dir;
  auto db = FileDatabase(dir.path() / "temoin.db", 3);
  db->sql().exec("DROP TRIGGER events_are_never_updated");
  db->sql().exec("UPDATE events SET body = replace(body, '101.00', '1.00') WHERE id = 'b-1'");
  auto report = WriteBackup(*db, dir.path() / "copy.db");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_FALSE(report->ok());
  EXPECT_EQ(report->broken.front().seq, 2);
  EXPECT_TRUE(fs::exists(dir.path() / "copy.db"));
}

}  // namespace
}  // namespace temoin::store
