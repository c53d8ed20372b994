// Full disk and read-only disk. The host answers `storage` (and acknowledges nothing it did not store), keeps
// running, and stores again once space returns.
//
// Full disk: the data folder is a small tmpfs (the tests run as root in CI and mount it themselves). Where
// mounting is impossible the test says so and falls back to SQLite's max_page_count on an in-process store
// (the same code path below the host: the store's Status on SQLITE_FULL). The test prints which one ran.
// Read-only disk: a read-only remount of that tmpfs (root cannot write there either), and, for file modes,
// the host run as `nobody` through setpriv (root ignores modes).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "hardening_util.h"
#include "protocol/decode.h"
#include "store/event_log.h"
#include "store/projections.h"

namespace temoin::testing::hardening {
namespace {

// A task.start of about 3.5 KB (long title and URL): a few hundred fill a small disk.
json BulkyEvent(const std::string& id, int n) {
  json e = MakeEvent("task.start", id, {{"at", PageTime(1 + n % 300)}});
  e["task_id"] = "bulk-" + std::to_string(n);
  e["project"] = std::string(250, 'p');
  e["title"] = std::string(1000, 't') + std::to_string(n);
  e["url"] = "https://example.org/" + std::string(2000, 'u');
  return e;
}

// The disk fills under a running host; it answers storage, keeps running, and recovers in place.
void FullDiskOnTmpfs(TmpfsMount& disk) {
  fs::path data = disk.point() / "temoin";
  auto host = StartHost(data);
  ASSERT_TRUE(host);
  std::set<std::string> acked;
  std::vector<std::string> refused;
  std::map<std::string, json> bodies;
  int n = 0;
  int storage_in_a_row = 0;
  while (storage_in_a_row < 5 && n < 5000) {
    std::string id = "full-" + std::to_string(n);
    bodies[id] = BulkyEvent(id, n++);
    auto reply = host->Call(bodies[id], std::chrono::seconds(20));
    ASSERT_TRUE(reply.ok()) << "the host stopped answering after " << n << " events: " << reply.status().ToString();
    if ((*reply)["ok"] == true) {
      ASSERT_EQ((*reply)["duplicate"], false);
      acked.insert(id);
      storage_in_a_row = 0;
    } else {
      ASSERT_EQ((*reply)["error"]["code"], "storage") << reply->dump();
      ASSERT_EQ((*reply)["re"], id);
      refused.push_back(id);
      ++storage_in_a_row;
    }
  }
  ASSERT_FALSE(refused.empty()) << "the disk never filled after " << n << " events";
  ASSERT_FALSE(acked.empty()) << "nothing could be stored at all: the disk is too small for the test";
  std::cout << "[ full disk after " << acked.size() << " events; " << refused.size() << " refused ]" << std::endl;

  // Still running, still answering, with the disk full.
  auto ping = host->Call({{"v", 1}, {"type", "ping"}, {"id", "still-there"}});
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ((*ping)["ok"], true) << ping->dump();
  auto summary = host->Call({{"v", 1}, {"type", "query.summary"}, {"id", "sum-full"}});
  ASSERT_TRUE(summary.ok());
  EXPECT_TRUE((*summary)["ok"] == true || (*summary)["error"]["code"] == "storage") << summary->dump();

  // Space returns: the same host stores again. Retrying a refused event must store it for the first time
  // (`duplicate: false`): a refused event was not stored.
  ASSERT_TRUE(disk.Remount(64u << 20));
  for (const auto& id : refused) {
    auto reply = host->Call(bodies[id], std::chrono::seconds(20));
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ((*reply)["ok"], true) << "after space returned: " << reply->dump();
    EXPECT_EQ((*reply)["duplicate"], false) << id << " was answered `storage` but had been stored";
    if ((*reply)["ok"] == true) acked.insert(id);
  }
  for (int i = 0; i < 20; ++i) {
    std::string id = "after-" + std::to_string(i);
    auto reply = host->Call(BulkyEvent(id, n++));
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ((*reply)["ok"], true) << reply->dump();
    if ((*reply)["ok"] == true) acked.insert(id);
  }
  auto exit_status = host->Finish(std::chrono::seconds(10));
  ASSERT_TRUE(exit_status.ok());
  EXPECT_EQ(*exit_status, 0);

  auto db = OpenForReading(data);
  ASSERT_TRUE(db);
  auto counts = IdCounts(*db);
  EXPECT_EQ(counts.size(), acked.size());
  for (const auto& id : acked) EXPECT_EQ(counts[id], 1) << id;
  ExpectStoreIntact(*db);
  ExpectCliVerifyPasses(data);
}

// Where no tmpfs can be mounted: the store itself, limited by max_page_count, as the host drives it.
void FullDiskWithMaxPageCount(const fs::path& dir) {
  auto opened = store::Database::Open(dir / "temoin.db");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Database& db = **opened;
  std::int64_t pages = db.sql().execAndGet("PRAGMA page_count").getInt64();
  db.sql().exec("PRAGMA max_page_count = " + std::to_string(pages + 40));
  store::EventLog log(db);
  store::Projections projections(db);
  auto store_one = [&](const json& message) -> Status {
    auto decoded = protocol::DecodeRequest(message.dump(), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                              std::chrono::system_clock::now().time_since_epoch())
                                                              .count());
    EXPECT_TRUE(decoded.status.ok()) << decoded.status.ToString();
    const auto& e = std::get<protocol::Event>(decoded.request->body);
    TEMOIN_RETURN_IF_ERROR(db.Begin());
    auto appended = log.Append({e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account, e.at_text,
                                e.at, e.canonical},
                               e.at);
    Status s = appended.ok() ? projections.Apply(e, appended->seq) : appended.status();
    if (s.ok()) s = projections.MarkProjectedThrough(appended->seq);
    if (!s.ok()) {
      db.Rollback();
      return s;
    }
    return db.Commit();
  };
  std::set<std::string> stored;
  std::string refused_id;
  json refused;
  for (int n = 0; n < 2000 && refused_id.empty(); ++n) {
    std::string id = "mpc-" + std::to_string(n);
    json e = BulkyEvent(id, n);
    Status s = store_one(e);
    if (s.ok()) {
      stored.insert(id);
    } else {
      EXPECT_EQ(s.code(), Code::kStorage) << s.ToString();
      refused_id = id;
      refused = e;
    }
  }
  ASSERT_FALSE(refused_id.empty()) << "max_page_count never stopped a write";
  EXPECT_EQ(IdCounts(db).count(refused_id), 0u) << "a refused event was stored";
  db.sql().exec("PRAGMA max_page_count = 1073741823");
  EXPECT_TRUE(store_one(refused).ok());
  stored.insert(refused_id);
  auto counts = IdCounts(db);
  EXPECT_EQ(counts.size(), stored.size());
  ExpectStoreIntact(db);
}

TEST(HardeningDisk, AFullDiskIsAnsweredWithStorageAndTheHostRecoversWhenSpaceReturns) {
  TempDir dir;
  TmpfsMount disk(dir.path() / "disk", 640 * 1024);
  if (disk.mounted()) {
    std::cout << "[ full disk: a 640 KiB tmpfs mounted on " << disk.point() << " ]" << std::endl;
    RecordProperty("full_disk_method", "tmpfs");
    FullDiskOnTmpfs(disk);
  } else {
    std::cout << "[ full disk: cannot mount a tmpfs (" << disk.error()
              << "); falling back to SQLite's max_page_count on an in-process store ]" << std::endl;
    RecordProperty("full_disk_method", "max_page_count");
    FullDiskWithMaxPageCount(dir.path());
  }
}

TEST(HardeningDisk, AReadOnlyFilesystemIsAnsweredWithStorageAndTheHostKeepsRunning) {
  TempDir dir;
  TmpfsMount disk(dir.path() / "disk", 16u << 20);
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "); the mode-based test runs";
  fs::path data = disk.point() / "temoin";
  {
    auto host = StartHost(data);
    ASSERT_TRUE(host);
    for (int i = 0; i < 5; ++i) ASSERT_EQ((*host->Call(VariedEvent("ro-" + std::to_string(i), i)))["ok"], true);
    ASSERT_EQ(*host->Finish(), 0);
  }
  std::map<std::string, std::string> before;
  {
    auto db = OpenForReading(data);
    ASSERT_TRUE(db);
    before = Snapshot(*db);
  }
  ASSERT_TRUE(disk.Remount(16u << 20, /*read_only=*/true)) << std::strerror(errno);

  auto host = StartHost(data);
  ASSERT_TRUE(host);
  for (int i = 0; i < 3; ++i) {
    std::string id = "refused-" + std::to_string(i);
    auto reply = host->Call(VariedEvent(id, 100 + i));
    ASSERT_TRUE(reply.ok()) << "the host stopped answering: " << reply.status().ToString();
    EXPECT_EQ((*reply)["ok"], false) << reply->dump();
    EXPECT_EQ((*reply)["error"]["code"], "storage") << reply->dump();
    EXPECT_EQ((*reply)["re"], id);
  }
  auto ping = host->Call({{"v", 1}, {"type", "ping"}, {"id", "p"}});
  ASSERT_TRUE(ping.ok()) << "the host stopped answering";
  EXPECT_TRUE((*ping)["ok"] == true || (*ping)["error"]["code"] == "storage") << ping->dump();
  auto exit_status = host->Finish();
  ASSERT_TRUE(exit_status.ok());
  EXPECT_EQ(*exit_status, 0);

  // Writable again: a new host stores, and what was there before is intact.
  ASSERT_TRUE(disk.Remount(16u << 20, /*read_only=*/false));
  {
    auto db = OpenForReading(data);
    ASSERT_TRUE(db);
    EXPECT_EQ(Snapshot(*db)["events"], before["events"]);
  }
  auto again = StartHost(data);
  auto reply = again->Call(VariedEvent("refused-0", 100));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ((*reply)["ok"], true) << reply->dump();
  EXPECT_EQ((*reply)["duplicate"], false);
  EXPECT_EQ(*again->Finish(), 0);
  auto db = OpenForReading(data);
  ASSERT_TRUE(db);
  EXPECT_EQ(IdCounts(*db).size(), 6u);
  ExpectStoreIntact(*db);
}

TEST(HardeningDisk, ADatabaseTheUserCannotWriteIsAnsweredWithStorageAsAnUnprivilegedUser) {
  auto nobody = FindNobody();
  if (!nobody || !HaveSetpriv()) GTEST_SKIP() << "needs root, a `nobody` account and setpriv to drop privileges";
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0711), 0);
  fs::path data = dir.path() / "data";
  fs::create_directories(data);
  ASSERT_EQ(::chmod(data.c_str(), 0700), 0);
  ChownTree(data, nobody->uid, nobody->gid);
  {
    auto host = StartHostAs(*nobody, data);
    ASSERT_TRUE(host);
    for (int i = 0; i < 4; ++i) {
      auto reply = host->Call(VariedEvent("m-" + std::to_string(i), i));
      ASSERT_TRUE(reply.ok());
      ASSERT_EQ((*reply)["ok"], true) << reply->dump();
    }
    ASSERT_EQ(*host->Finish(), 0);
  }
  struct stat st{};
  ASSERT_EQ(::stat((data / "temoin.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, nobody->uid) << "the host did not run as nobody";
  ASSERT_EQ(::chmod((data / "temoin.db").c_str(), 0400), 0);  // the owner may read, not write

  auto host = StartHostAs(*nobody, data);
  ASSERT_TRUE(host);
  for (int i = 0; i < 3; ++i) {
    std::string id = "ro-" + std::to_string(i);
    auto reply = host->Call(VariedEvent(id, 10 + i));
    ASSERT_TRUE(reply.ok()) << "the host stopped answering: " << reply.status().ToString();
    EXPECT_EQ((*reply)["ok"], false) << reply->dump();
    EXPECT_EQ((*reply)["error"]["code"], "storage") << reply->dump();
  }
  auto ping = host->Call({{"v", 1}, {"type", "ping"}, {"id", "p"}});
  ASSERT_TRUE(ping.ok()) << "the host stopped answering";
  auto exit_status = host->Finish();
  ASSERT_TRUE(exit_status.ok());
  EXPECT_EQ(*exit_status, 0);

  // Writable again. SQLite gives the -wal and -shm it created the database file's mode (0400 here), so the user
  // makes every file of the folder writable again, as `chmod 600 ~/.local/share/temoin/*` would.
  for (const auto& entry : fs::directory_iterator(data)) {
    if (entry.is_regular_file()) {
      ASSERT_EQ(::chmod(entry.path().c_str(), 0600), 0);
    }
  }
  auto again = StartHostAs(*nobody, data);
  auto reply = again->Call(VariedEvent("ro-0", 10));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ((*reply)["ok"], true) << reply->dump();
  EXPECT_EQ((*reply)["duplicate"], false) << "an event answered `storage` had been stored";
  EXPECT_EQ(*again->Finish(), 0);
  auto db = OpenForReading(data);
  ASSERT_TRUE(db);
  EXPECT_EQ(IdCounts(*db).size(), 5u);
  ExpectStoreIntact(*db);
}

TEST(HardeningDisk, ADataFolderThatCannotBeCreatedIsAnsweredWithStorageAsAnUnprivilegedUser) {
  auto nobody = FindNobody();
  if (!nobody || !HaveSetpriv()) GTEST_SKIP() << "needs root, a `nobody` account and setpriv to drop privileges";
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);  // root's folder: nobody may enter, not create
  fs::path data = dir.path() / "temoin";
  auto host = StartHostAs(*nobody, data);
  ASSERT_TRUE(host);
  for (const char* id : {"x1", "x2"}) {
    auto reply = host->Call(MakeEvent("heartbeat", id, {{"at", PageTime()}}));
    ASSERT_TRUE(reply.ok()) << "the host stopped answering";
    EXPECT_EQ((*reply)["error"]["code"], "storage") << reply->dump();
    EXPECT_NE((*reply)["error"]["message"].get<std::string>().find(data.string()), std::string::npos)
        << "the message should name the folder: " << reply->dump();
  }
  EXPECT_EQ(*host->Finish(), 0);
  EXPECT_FALSE(fs::exists(data));
}

}  // namespace
}  // namespace temoin::testing::hardening
