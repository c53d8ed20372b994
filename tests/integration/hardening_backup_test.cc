// temoin backup: a consistent copy taken while hosts write, and the documented restore (docs/security.md,
// "Backup and restore"): back up, destroy the data folder, restore the copy, `temoin verify` passes and every
// event is there; a host then goes on appending to the restored chains.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "hardening_util.h"

namespace temoin::testing::hardening {
namespace {

std::map<std::string, int> BackupIds(const fs::path& file) {
  store::OpenOptions options;
  options.read_only = true;
  auto db = store::Database::Open(file, options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return {};
  ExpectStoreIntact(**db);
  return IdCounts(**db);
}

TEST(HardeningBackup, BackupsTakenWhileHostsWriteHoldEveryEventAcknowledgedBeforeThem) {
  TempDir dir;
  fs::path data = dir.path() / "data";
  fs::path backups = dir.path() / "backups";
  fs::create_directories(backups);
  std::mutex mutex;
  std::set<std::string> acked;
  std::atomic<int> writers_left{2};
  std::vector<std::thread> writers;
  for (int h = 0; h < 2; ++h) {
    writers.emplace_back([&, h] {
      auto host = StartHost(data);
      for (int i = 0; i < 300 && host; ++i) {
        std::string id = "b" + std::to_string(h) + "-" + std::to_string(i);
        auto reply = host->Call(VariedEvent(id, h * 1000 + i));
        if (reply.ok() && (*reply)["ok"] == true) {
          std::lock_guard<std::mutex> lock(mutex);
          acked.insert(id);
        } else {
          ADD_FAILURE() << id << ": " << (reply.ok() ? reply->dump() : reply.status().ToString());
        }
      }
      if (host) {
        EXPECT_EQ(*host->Finish(), 0);
      }
      --writers_left;
    });
  }
  int taken = 0;
  while (writers_left.load() > 0 || taken == 0) {
    std::set<std::string> before;
    {
      std::lock_guard<std::mutex> lock(mutex);
      before = acked;
    }
    if (before.empty() && writers_left.load() > 0) continue;
    fs::path file = backups / ("during-" + std::to_string(taken) + ".db");
    CliResult r = RunTemoin(data, {"backup", file.string()});
    ASSERT_EQ(r.exit_status, 0) << r.out;
    EXPECT_NE(r.out.find("Backed up"), std::string::npos) << r.out;
    auto ids = BackupIds(file);
    for (const auto& id : before) EXPECT_EQ(ids[id], 1) << id << " was acknowledged before the backup began";
    EXPECT_EQ(Mode(file), 0600u);
    EXPECT_FALSE(fs::exists(file.string() + "-wal")) << "a backup is one self-contained file";
    ++taken;
  }
  for (auto& w : writers) w.join();
  EXPECT_GE(taken, 2) << "backups should have run while the hosts wrote";
  std::cout << "[ " << taken << " backups taken while 2 hosts wrote " << acked.size() << " events ]" << std::endl;
}

TEST(HardeningBackup, BackUpDestroyRestoreVerifyEveryEventIsThere) {
  TempDir dir;
  fs::path data = dir.path() / "temoin";
  std::set<std::string> ids;
  std::map<std::string, json> sent;
  {
    auto host = StartHost(data);
    ASSERT_TRUE(host);
    for (int i = 0; i < 60; ++i) {
      std::string id = "keep-" + std::to_string(i);
      sent[id] = VariedEvent(id, i);  // kept: a re-send must be byte-identical (page times are relative to now)
      ASSERT_EQ((*host->Call(sent[id]))["ok"], true);
      ids.insert(id);
    }
    ASSERT_EQ(*host->Finish(), 0);
  }
  // A folder as DEST: the copy gets a dated name in it.
  fs::path safe = dir.path() / "usb-stick";
  fs::create_directories(safe);
  CliResult backed = RunTemoin(data, {"backup", "--json", safe.string()});
  ASSERT_EQ(backed.exit_status, 0) << backed.out;
  json report = json::parse(backed.out);
  fs::path copy = report["path"].get<std::string>();
  EXPECT_EQ(copy.parent_path(), safe);
  std::int64_t logged = 0;  // the 60 events and the host's own (alerts raised on the way)
  {
    auto db = OpenForReading(data);
    ASSERT_TRUE(db);
    logged = db->sql().execAndGet("SELECT COUNT(*) FROM events").getInt64();
  }
  EXPECT_GE(logged, 60);
  EXPECT_EQ(report["events"], logged);
  EXPECT_EQ(report["chains"].size(), 3u);
  // The same DEST again is refused without --force, and accepted with it.
  EXPECT_NE(RunTemoin(data, {"backup", copy.string()}).exit_status, 0);
  EXPECT_EQ(RunTemoin(data, {"backup", "--force", copy.string()}).exit_status, 0);

  // Destroy the data folder entirely.
  fs::remove_all(data);
  ASSERT_FALSE(fs::exists(data));

  // Restore, as docs/security.md says: no host running; a private folder; the copy as temoin.db, 0600; no stale
  // temoin.db-wal / -shm beside it; then temoin verify.
  fs::create_directories(data);
  ASSERT_EQ(::chmod(data.c_str(), 0700), 0);
  fs::copy_file(copy, data / "temoin.db");
  ASSERT_EQ(::chmod((data / "temoin.db").c_str(), 0600), 0);
  CliResult verified = RunTemoin(data, {"verify"});
  EXPECT_EQ(verified.exit_status, 0) << verified.out;
  EXPECT_NE(verified.out.find(std::to_string(logged) + " events in 3 chains: all links verified"), std::string::npos)
      << verified.out;
  for (const auto& chain : report["chains"]) {
    EXPECT_NE(verified.out.find(chain["head_hash"].get<std::string>()), std::string::npos)
        << "the restored chain's head is the one the backup reported";
  }
  {
    auto db = OpenForReading(data);
    ASSERT_TRUE(db);
    auto counts = IdCounts(*db);
    EXPECT_EQ(counts.size(), ids.size());
    for (const auto& id : ids) EXPECT_EQ(counts[id], 1) << id;
  }
  // Life goes on: the host appends to the restored chains, and re-sent events are recognised as stored.
  auto host = StartHost(data);
  ASSERT_TRUE(host);
  auto again = host->Call(sent["keep-7"]);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["duplicate"], true) << again->dump();
  ASSERT_EQ((*host->Call(VariedEvent("after-restore", 61)))["ok"], true);
  ASSERT_EQ(*host->Finish(), 0);
  ExpectCliVerifyPasses(data);
}

TEST(HardeningBackup, ABackupIntoAMissingFolderFailsAndLeavesNothingBehind) {
  TempDir dir;
  {
    auto host = StartHost(dir.path() / "data");
    ASSERT_EQ((*host->Call(VariedEvent("x", 1)))["ok"], true);
    ASSERT_EQ(*host->Finish(), 0);
  }
  CliResult r = RunTemoin(dir.path() / "data", {"backup", (dir.path() / "nowhere" / "b.db").string()});
  EXPECT_NE(r.exit_status, 0);
  EXPECT_FALSE(fs::exists(dir.path() / "nowhere"));
}

}  // namespace
}  // namespace temoin::testing::hardening
