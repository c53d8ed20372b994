#include "cli/daily_backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include <SQLiteCpp/Database.h>

#include "protocol/timestamp.h"
#include "store/store_test_util.h"
#include "test_support/temp_dir.h"

namespace temoin::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using temoin::testing::TempDir;

constexpr EpochMs kHour = 60 * 60 * 1000;
const EpochMs kStart = *protocol::ParseRfc3339("2026-11-29T07:31:12.345Z");

unsigned Mode(const fs::path& p) {
  struct stat st{};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

class DailyBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Database::Open(tmp_.path() / "data.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    Add(3);
    dir_ = tmp_.path() / "backups";
  }
  void Add(int n) {
    for (int i = 0; i < n; ++i, ++events_) {
      store::testing::Store(*db_, json{{"type", "balance"}, {"id", "b-" + std::to_string(events_)},
                                       {"at", "2026-07-14T09:30:00Z"}, {"amount", std::to_string(10 + events_) + ".00"},
                                       {"currency", "USD"}});
    }
  }
  Result<DailyBackupOutcome> Run(EpochMs now, int keep = kDefaultBackupKeep) {
    return RunDailyBackup(*db_, dir_, keep, now);
  }

  TempDir tmp_;
  std::unique_ptr<store::Database> db_;
  fs::path dir_;
  int events_ = 0;
};

TEST(DailyBackupName, RoundTripsAndRefusesEveryOtherName) {
  EXPECT_EQ(CompactUtc(kStart), "20261129T073112Z");
  EXPECT_EQ(DailyBackupName(kStart), "temoin-daily-20261129T073112Z.db");
  EXPECT_EQ(ParseDailyBackupName("temoin-daily-20261129T073112Z.db"), kStart - 345);
  for (const char* other : {"temoin-daily-20261129T073112Z.db.partial-12", "temoin-daily-20261129T073112Z.db-journal",
                            "temoin-backup-20261129T073112Z.db", "x-temoin-daily-20261129T073112Z.db",
                            "temoin-daily-20261129T073112Z.DB", "temoin-daily-20261129T253112Z.db",
                            "temoin-daily-20261329T073112Z.db", "temoin-daily-2026112T0731120Z.db",
                            "temoin-daily-20261129T073112.db", "temoin-daily-.db", "temoin.db", "notes.txt", ""}) {
    EXPECT_FALSE(ParseDailyBackupName(other).has_value()) << other;
  }
}

TEST_F(DailyBackupTest, WritesTheFirstThenWaitsADay) {
  auto first = Run(kStart);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->written);
  EXPECT_EQ(first->path, dir_ / "temoin-daily-20261129T073112Z.db");
  EXPECT_EQ(first->report.events, 3);
  EXPECT_EQ(Mode(dir_), 0700u) << "a folder it creates is private";
  EXPECT_EQ(Mode(first->path), 0600u);

  Add(1);
  auto hour = Run(kStart + kHour);
  ASSERT_TRUE(hour.ok());
  EXPECT_FALSE(hour->written);
  EXPECT_EQ(hour->path, first->path);
  auto almost = Run(kStart + 24 * kHour - 1000);
  ASSERT_TRUE(almost.ok());
  EXPECT_FALSE(almost->written);
  EXPECT_EQ(Names(dir_).size(), 1u);

  auto day = Run(kStart + 24 * kHour);
  ASSERT_TRUE(day.ok());
  EXPECT_TRUE(day->written);
  EXPECT_EQ(day->path, dir_ / "temoin-daily-20261130T073112Z.db");
  EXPECT_EQ(day->report.events, 4) << "the new copy holds the event added since";
  EXPECT_EQ(Names(dir_).size(), 2u);
}

TEST_F(DailyBackupTest, KeepsTheNewestNAndNothingElseIsTouched) {
  fs::create_directories(dir_);
  // Files that are not daily backups, some of them close: never removed.
  std::vector<std::string> foreign = {"notes.txt", "temoin-backup-20200101T000000Z.db",
                                      "temoin-daily-20200101T000000Z.db.bak", "temoin-daily-20200101T000000Z.db.partial-7",
                                      "temoin-daily-old.db"};
  for (const auto& f : foreign) std::ofstream(dir_ / f) << "mine";
  fs::create_directories(dir_ / "temoin-daily-20200102T000000Z.db");  // a folder with the shape: not a file
  fs::create_symlink(tmp_.path() / "data.db", dir_ / "temoin-daily-20200103T000000Z.db");  // a link: left alone

  std::vector<std::string> written;
  for (int day = 0; day < 6; ++day) {
    auto r = Run(kStart + day * 25 * kHour, 3);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->written) << day;
    written.push_back(r->path.filename().string());
    EXPECT_EQ(r->removed.size(), day < 3 ? 0u : 1u) << day;
  }
  std::set<std::string> expected(foreign.begin(), foreign.end());
  expected.insert("temoin-daily-20200102T000000Z.db");
  expected.insert("temoin-daily-20200103T000000Z.db");
  expected.insert(written.end() - 3, written.end());
  EXPECT_EQ(Names(dir_), expected);
  EXPECT_TRUE(fs::is_symlink(dir_ / "temoin-daily-20200103T000000Z.db"));
  EXPECT_TRUE(fs::exists(tmp_.path() / "data.db"));

  // A lower --keep applies at the next backup; 1 keeps only the new one.
  auto one = Run(kStart + 10 * 25 * kHour, 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->removed.size(), 3u);
  int daily = 0;
  for (const auto& n : Names(dir_)) daily += ParseDailyBackupName(n).has_value() && fs::is_regular_file(fs::symlink_status(dir_ / n));
  EXPECT_EQ(daily, 1);
}

TEST_F(DailyBackupTest, ABackupDatedInTheFutureDoesNotStopBackups) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / DailyBackupName(kStart + 400 * 24 * kHour)) << "written while the clock was wrong";
  auto r = Run(kStart);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->written);
  EXPECT_FALSE(Run(kStart + kHour)->written);
}

TEST_F(DailyBackupTest, AnAlteredLogIsBackedUpButNoOlderBackupIsRemoved) {
  ASSERT_TRUE(Run(kStart, 1)->written);
  db_->sql().exec("DROP TRIGGER events_are_never_updated");
  db_->sql().exec("UPDATE events SET body = replace(body, '11.00', '1.00') WHERE id = 'b-1'");
  auto r = Run(kStart + 24 * kHour, 1);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->written);
  EXPECT_FALSE(r->report.ok());
  EXPECT_TRUE(r->removed.empty());
  EXPECT_FALSE(r->warnings.empty());
  EXPECT_EQ(Names(dir_).size(), 2u);
}

TEST_F(DailyBackupTest, AFolderIsCreatedOnlyWhenItsParentExists) {
  dir_ = tmp_.path() / "usb" / "temoin";
  auto r = Run(kStart);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIo);
  EXPECT_NE(r.status().message().find("is the backup disk mounted?"), std::string::npos) << r.status().message();
  EXPECT_FALSE(fs::exists(tmp_.path() / "usb"));

  std::ofstream(tmp_.path() / "file") << "x";
  dir_ = tmp_.path() / "file";
  r = Run(kStart);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("is not a folder"), std::string::npos) << r.status().message();

  dir_ = "relative/dir";
  EXPECT_EQ(Run(kStart).status().code(), Code::kInvalidArgument);
}

TEST_F(DailyBackupTest, AnExistingFolderKeepsItsMode) {
  fs::create_directories(dir_);
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  ASSERT_TRUE(Run(kStart)->written);
  EXPECT_EQ(Mode(dir_), 0755u);
  EXPECT_EQ(Mode(dir_ / DailyBackupName(kStart)), 0600u);
}

TEST_F(DailyBackupTest, AnUnwritableFolderFailsAndLeavesNothing) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores modes (tests/integration covers root with another cause)";
  fs::create_directories(dir_);
  ASSERT_EQ(::chmod(dir_.c_str(), 0500), 0);
  auto r = Run(kStart);
  ::chmod(dir_.c_str(), 0700);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kIo);
  EXPECT_TRUE(Names(dir_).empty());
}

}  // namespace
}  // namespace temoin::cli
