#include "store/wal_sync_deferral.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <new>
#include <string>

#include "store/database.h"
#include "store/raw_connection_test_util.h"
#include "store/wal_write_batching_vfs.h"
#include "test_support/temp_dir.h"

namespace temoin::store {
namespace {

using testing::InsertRows;
using testing::OpenForWriting;
using Connection = testing::RawConnection;

// A VFS under the store's that sees what reaches the disk: it counts the syncs of each file and calls a hook
// before every write to a main database file. The store's VFS is registered over it, so the calls it sees are
// the ones the store's VFS passes on.
struct Witness {
  int wal_syncs = 0;
  int db_syncs = 0;
  std::function<void()> before_db_write;
};
Witness* witness = nullptr;  // the test's own, set and cleared by WitnessedVfs; tests run one at a time

struct WitnessFile {
  sqlite3_file head;
  sqlite3_file* real;
  bool is_wal;
  bool is_main_db;
};
constexpr std::size_t kWitnessRealOffset = (sizeof(WitnessFile) + 15) / 16 * 16;
WitnessFile* W(sqlite3_file* f) { return reinterpret_cast<WitnessFile*>(f); }
sqlite3_file* R(sqlite3_file* f) { return W(f)->real; }

int WClose(sqlite3_file* f) { return R(f)->pMethods->xClose(R(f)); }
int WRead(sqlite3_file* f, void* d, int n, sqlite3_int64 o) { return R(f)->pMethods->xRead(R(f), d, n, o); }
int WWrite(sqlite3_file* f, const void* d, int n, sqlite3_int64 o) {
  if (W(f)->is_main_db && witness != nullptr && witness->before_db_write) witness->before_db_write();
  return R(f)->pMethods->xWrite(R(f), d, n, o);
}
int WTruncate(sqlite3_file* f, sqlite3_int64 n) { return R(f)->pMethods->xTruncate(R(f), n); }
int WSync(sqlite3_file* f, int flags) {
  if (witness != nullptr) ++(W(f)->is_wal ? witness->wal_syncs : witness->db_syncs);
  return R(f)->pMethods->xSync(R(f), flags);
}
int WFileSize(sqlite3_file* f, sqlite3_int64* n) { return R(f)->pMethods->xFileSize(R(f), n); }
int WLock(sqlite3_file* f, int l) { return R(f)->pMethods->xLock(R(f), l); }
int WUnlock(sqlite3_file* f, int l) { return R(f)->pMethods->xUnlock(R(f), l); }
int WCheck(sqlite3_file* f, int* out) { return R(f)->pMethods->xCheckReservedLock(R(f), out); }
int WControl(sqlite3_file* f, int op, void* arg) { return R(f)->pMethods->xFileControl(R(f), op, arg); }
int WSector(sqlite3_file* f) { return R(f)->pMethods->xSectorSize(R(f)); }
int WDevice(sqlite3_file* f) { return R(f)->pMethods->xDeviceCharacteristics(R(f)); }
int WShmMap(sqlite3_file* f, int p, int s, int e, void volatile** out) {
  return R(f)->pMethods->xShmMap(R(f), p, s, e, out);
}
int WShmLock(sqlite3_file* f, int o, int n, int flags) { return R(f)->pMethods->xShmLock(R(f), o, n, flags); }
void WShmBarrier(sqlite3_file* f) { R(f)->pMethods->xShmBarrier(R(f)); }
int WShmUnmap(sqlite3_file* f, int d) { return R(f)->pMethods->xShmUnmap(R(f), d); }

// Version 2 (no memory-mapped reads): SQLite then never asks for them.
const sqlite3_io_methods kWitnessMethods = {2,       WClose,  WRead,   WWrite,   WTruncate,  WSync,
                                            WFileSize, WLock, WUnlock, WCheck,   WControl,   WSector,
                                            WDevice, WShmMap, WShmLock, WShmBarrier, WShmUnmap, nullptr, nullptr};

int WOpen(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* base = static_cast<sqlite3_vfs*>(vfs->pAppData);
  auto* f = new (file) WitnessFile{};
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kWitnessRealOffset);
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->is_main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  int rc = base->xOpen(base, name, f->real, flags, out_flags);
  f->head.pMethods = rc == SQLITE_OK && f->real->pMethods != nullptr ? &kWitnessMethods : nullptr;
  return rc;
}

// "temoin-test-witnessed": the store's VFS over the witness, registered once.
const char* WitnessedVfs() {
  static const char* const name = [] {
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    auto* vfs = new sqlite3_vfs(*base);  // every other method is the base's own, called with the base's data
    vfs->iVersion = 1;
    vfs->zName = "temoin-test-witness";
    vfs->szOsFile = static_cast<int>(kWitnessRealOffset) + base->szOsFile;
    vfs->pAppData = base;
    vfs->xOpen = WOpen;
    vfs->xDelete = [](sqlite3_vfs* v, const char* n, int d) {
      auto* b = static_cast<sqlite3_vfs*>(v->pAppData);
      return b->xDelete(b, n, d);
    };
    vfs->xAccess = [](sqlite3_vfs* v, const char* n, int fl, int* out) {
      auto* b = static_cast<sqlite3_vfs*>(v->pAppData);
      return b->xAccess(b, n, fl, out);
    };
    vfs->xFullPathname = [](sqlite3_vfs* v, const char* n, int size, char* out) {
      auto* b = static_cast<sqlite3_vfs*>(v->pAppData);
      return b->xFullPathname(b, n, size, out);
    };
    vfs->xRandomness = [](sqlite3_vfs* v, int n, char* out) {
      auto* b = static_cast<sqlite3_vfs*>(v->pAppData);
      return b->xRandomness(b, n, out);
    };
    vfs->xSleep = [](sqlite3_vfs* v, int us) {
      auto* b = static_cast<sqlite3_vfs*>(v->pAppData);
      return b->xSleep(b, us);
    };
    vfs->xCurrentTime = [](sqlite3_vfs* v, double* out) {
      auto* b = static_cast<sqlite3_vfs*>(v->pAppData);
      return b->xCurrentTime(b, out);
    };
    vfs->xGetLastError = [](sqlite3_vfs* v, int n, char* out) {
      auto* b = static_cast<sqlite3_vfs*>(v->pAppData);
      return b->xGetLastError(b, n, out);
    };
    vfs->xDlOpen = nullptr;
    vfs->xDlError = nullptr;
    vfs->xDlSym = nullptr;
    vfs->xDlClose = nullptr;
    EXPECT_EQ(sqlite3_vfs_register(vfs, 0), SQLITE_OK);
    EXPECT_TRUE(RegisterWalWriteBatchingVfs("temoin-test-witnessed", "temoin-test-witness").ok());
    return "temoin-test-witnessed";
  }();
  return name;
}

class WalSyncDeferralTest : public ::testing::Test {
 protected:
  void SetUp() override { witness = &seen_; }
  void TearDown() override { witness = nullptr; }

  std::filesystem::path File() const { return dir_.path() / "t.db"; }
  void Defer(Connection& c, WalSyncDeferral* deferral) {
    ASSERT_EQ(sqlite3_file_control(c.handle(), "main", kDeferWalSyncsFileControl, deferral), SQLITE_OK);
  }

  temoin::testing::TempDir dir_;
  Witness seen_;
};

TEST_F(WalSyncDeferralTest, CommitsLeaveTheSyncToWhoeverReportsThem) {
  WalSyncDeferral deferral(File().string() + "-wal");  // before the connection: it must outlive it
  Connection c(File(), WitnessedVfs());
  Defer(c, &deferral);
  // The WAL's first sync (a new WAL's header) is SQLite's own: it also makes the new file's folder entry durable.
  OpenForWriting(c, "FULL");
  const int syncs_before = seen_.wal_syncs;
  EXPECT_GE(syncs_before, 1);
  const std::uint64_t before = deferral.deferred();
  ASSERT_TRUE(deferral.SyncAll().ok());

  for (int i = 0; i < 5; ++i) ASSERT_EQ(c.Exec(InsertRows(100 + i * 10, 10)), "");
  EXPECT_EQ(seen_.wal_syncs, syncs_before) << "a deferred commit synced the WAL itself";
  EXPECT_EQ(deferral.deferred(), before + 5);
  EXPECT_TRUE(deferral.pending());
  const std::uint64_t syncs = deferral.syncs();

  // One sync serves every commit before it; asking again for any of them syncs nothing more.
  ASSERT_TRUE(deferral.SyncThrough(before + 3).ok());
  EXPECT_EQ(deferral.syncs(), syncs + 1);
  EXPECT_EQ(deferral.synced(), before + 5);
  EXPECT_FALSE(deferral.pending());
  ASSERT_TRUE(deferral.SyncThrough(before + 5).ok());
  EXPECT_EQ(deferral.syncs(), syncs + 1);

  // Another connection sees the commits (made durable or not: the host says nothing before they are).
  Connection reader(File(), nullptr);
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "50");
}

TEST_F(WalSyncDeferralTest, TheDatabaseFileIsNeverWrittenWhileASyncIsPending) {
  WalSyncDeferral deferral(File().string() + "-wal");  // before the connection: it must outlive it
  Connection c(File(), WitnessedVfs());
  OpenForWriting(c, "FULL");
  Defer(c, &deferral);
  ASSERT_EQ(c.Exec(InsertRows(1, 10)), "");
  int db_writes = 0, writes_while_pending = 0;
  seen_.before_db_write = [&] {
    ++db_writes;
    if (deferral.pending()) ++writes_while_pending;
  };
  // Commits whose syncs wait, then a checkpoint that copies their frames into the database file, explicit and
  // automatic (every 50 pages here).
  ASSERT_EQ(c.Exec("PRAGMA wal_autocheckpoint = 50"), "");
  for (int i = 0; i < 20; ++i) ASSERT_EQ(c.Exec(InsertRows(100 + i * 40, 40)), "");
  ASSERT_TRUE(deferral.pending() || deferral.syncs() > 0);
  ASSERT_EQ(c.Exec(InsertRows(5000, 40)), "");
  ASSERT_EQ(c.Text("PRAGMA wal_checkpoint(TRUNCATE)"), "0");
  EXPECT_GT(db_writes, 0);
  EXPECT_EQ(writes_while_pending, 0) << "frames not yet durable were copied into the database file";
  EXPECT_GT(deferral.syncs(), 0u);
  EXPECT_EQ(c.Text("SELECT count(*) FROM t"), "850");
  EXPECT_EQ(c.Text("PRAGMA integrity_check"), "ok");
  seen_.before_db_write = nullptr;  // its counters end with this scope, before the connection's closing checkpoint
}

TEST_F(WalSyncDeferralTest, AFailedSyncIsFinalAndStopsCheckpoints) {
  // A deferral that cannot open its WAL: its first sync fails, and so does every later one.
  WalSyncDeferral deferral(dir_.path() / "missing" / "t.db-wal");
  Connection c(File(), WitnessedVfs());
  OpenForWriting(c, "FULL");
  Defer(c, &deferral);
  ASSERT_EQ(c.Exec(InsertRows(1, 10)), "");
  ASSERT_EQ(c.Exec(InsertRows(100, 10)), "");
  ASSERT_TRUE(deferral.pending());
  Status first = deferral.SyncAll();
  EXPECT_EQ(first.code(), Code::kStorage);
  EXPECT_NE(first.message().find("missing"), std::string::npos) << first.ToString();
  EXPECT_FALSE(deferral.SyncAll().ok());
  EXPECT_TRUE(deferral.pending());
  // The checkpoint would copy frames no sync vouches for: it fails rather than write the database file.
  int db_writes = 0;
  seen_.before_db_write = [&] { ++db_writes; };
  EXPECT_NE(c.Exec("PRAGMA wal_checkpoint(TRUNCATE)"), "");
  EXPECT_EQ(db_writes, 0);
  seen_.before_db_write = nullptr;
}

TEST_F(WalSyncDeferralTest, WithoutTheStoresVfsTheConnectionKeepsSyncingItsCommits) {
  auto in_memory = Database::Open(":memory:");
  ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();
  auto refused = (*in_memory)->DeferWalSyncs();
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ((*in_memory)->wal_sync_deferral(), nullptr);

  auto on_disk = Database::Open(File());
  ASSERT_TRUE(on_disk.ok()) << on_disk.status().ToString();
  auto deferral = (*on_disk)->DeferWalSyncs();
  ASSERT_TRUE(deferral.ok()) << deferral.status().ToString();
  EXPECT_EQ((*on_disk)->wal_sync_deferral(), *deferral);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE((*on_disk)->Begin().ok());
    (*on_disk)->sql().exec("CREATE TABLE IF NOT EXISTS x (v); INSERT INTO x VALUES (1)");
    ASSERT_TRUE((*on_disk)->Commit().ok());
  }
  EXPECT_GE((*deferral)->deferred(), 1u);
  EXPECT_TRUE((*deferral)->SyncAll().ok());
  EXPECT_FALSE((*deferral)->pending());
}

TEST_F(WalSyncDeferralTest, ADatabaseOpenedThroughASymbolicLinkSyncsTheWalSqliteWrites) {
  // SQLite puts the WAL beside the file the link points to; the deferral must sync that one.
  std::filesystem::create_directories(dir_.path() / "real");
  { ASSERT_TRUE(Database::Open(dir_.path() / "real" / "temoin.db").ok()); }
  std::filesystem::create_symlink(dir_.path() / "real" / "temoin.db", dir_.path() / "link.db");
  auto db = Database::Open(dir_.path() / "link.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto deferral = (*db)->DeferWalSyncs();
  ASSERT_TRUE(deferral.ok()) << deferral.status().ToString();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE((*db)->Begin().ok());
    (*db)->sql().exec("CREATE TABLE IF NOT EXISTS x (v); INSERT INTO x VALUES (1)");
    ASSERT_TRUE((*db)->Commit().ok());
  }
  ASSERT_TRUE((*deferral)->pending());
  Status synced = (*deferral)->SyncAll();
  EXPECT_TRUE(synced.ok()) << synced.ToString();
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "real" / "temoin.db-wal"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "link.db-wal"));
}

}  // namespace
}  // namespace temoin::store
