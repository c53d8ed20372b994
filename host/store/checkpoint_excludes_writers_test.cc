#include "store/checkpoint_excludes_writers.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/raw_connection_test_util.h"
#include "test_support/temp_dir.h"

namespace temoin::store {
namespace {

using testing::InsertRows;
using testing::OpenForWriting;
using testing::RawConnection;

constexpr int kTake = SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE;
constexpr int kDrop = SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE;
constexpr int kTakeShared = SQLITE_SHM_LOCK | SQLITE_SHM_SHARED;
constexpr int kWriter = CheckpointExcludesWriters::kWriterSlot;
constexpr int kCheckpointer = CheckpointExcludesWriters::kCheckpointerSlot;

// The exclusive locks of the WAL-index's eight slots, shared by two connections as SQLite's unix VFS keeps
// them: a slot another connection holds is refused with SQLITE_BUSY. Every call reaching it is logged.
class SlotTable {
 public:
  int Call(int who, int offset, int n, int flags) {
    log_.push_back(std::to_string(who) + ((flags & SQLITE_SHM_LOCK) ? " take " : " drop ") +
                   std::to_string(offset) + "+" + std::to_string(n));
    if ((flags & SQLITE_SHM_EXCLUSIVE) == 0) return SQLITE_OK;
    for (int slot = offset; slot < offset + n; ++slot) {
      if ((flags & SQLITE_SHM_LOCK) && owner_[slot] != 0 && owner_[slot] != who) return SQLITE_BUSY;
    }
    for (int slot = offset; slot < offset + n; ++slot) owner_[slot] = (flags & SQLITE_SHM_LOCK) ? who : 0;
    return SQLITE_OK;
  }
  int owner(int slot) const { return owner_[slot]; }
  // The calls logged since the last time this was asked.
  std::vector<std::string> TakeLog() { return std::exchange(log_, {}); }

 private:
  std::array<int, 8> owner_{};
  std::vector<std::string> log_;
};

// One connection's locks through the class under test.
struct Conn {
  int id;
  SlotTable& table;
  CheckpointExcludesWriters locks;
  int Lock(int offset, int n, int flags) {
    return locks.Lock(offset, n, flags, [this](int o, int k, int f) { return table.Call(id, o, k, f); });
  }
};

using Log = std::vector<std::string>;

TEST(CheckpointExcludesWriters, ACheckpointTakesTheWriterLockBeforeItsOwnAndGivesItBackAfter) {
  SlotTable table;
  Conn a{1, table};
  ASSERT_EQ(a.Lock(kCheckpointer, 1, kTake), SQLITE_OK);
  EXPECT_EQ(table.TakeLog(), (Log{"1 take 0+1", "1 take 1+1"}));
  EXPECT_EQ(table.owner(kWriter), 1);
  EXPECT_TRUE(a.locks.holds_writer_for_checkpoint());
  ASSERT_EQ(a.Lock(kCheckpointer, 1, kDrop), SQLITE_OK);
  EXPECT_EQ(table.TakeLog(), (Log{"1 drop 1+1", "1 drop 0+1"}));
  EXPECT_EQ(table.owner(kWriter), 0);
  EXPECT_FALSE(a.locks.holds_writer_for_checkpoint());
}

TEST(CheckpointExcludesWriters, NoCheckpointStartsWhileAnotherConnectionWrites) {
  SlotTable table;
  Conn a{1, table}, b{2, table};
  ASSERT_EQ(b.Lock(kWriter, 1, kTake), SQLITE_OK);
  EXPECT_EQ(a.Lock(kCheckpointer, 1, kTake), SQLITE_BUSY);
  EXPECT_EQ(table.owner(kCheckpointer), 0) << "the checkpointer lock must not be taken without the writer's";
  EXPECT_FALSE(a.locks.holds_writer_for_checkpoint());
  ASSERT_EQ(b.Lock(kWriter, 1, kDrop), SQLITE_OK);
  EXPECT_EQ(a.Lock(kCheckpointer, 1, kTake), SQLITE_OK);
}

TEST(CheckpointExcludesWriters, NoWriterStartsWhileAnotherConnectionCheckpoints) {
  SlotTable table;
  Conn a{1, table}, b{2, table};
  ASSERT_EQ(a.Lock(kCheckpointer, 1, kTake), SQLITE_OK);
  EXPECT_EQ(b.Lock(kWriter, 1, kTake), SQLITE_BUSY);
  ASSERT_EQ(a.Lock(kCheckpointer, 1, kDrop), SQLITE_OK);
  EXPECT_EQ(b.Lock(kWriter, 1, kTake), SQLITE_OK);
}

TEST(CheckpointExcludesWriters, AStrongerCheckpointAsksForTheWriterLockItAlreadyHasAndKeepsItToTheEnd) {
  // SQLITE_CHECKPOINT_FULL and stronger: checkpointer, then writer; SQLite gives the writer back first.
  SlotTable table;
  Conn a{1, table}, b{2, table};
  ASSERT_EQ(a.Lock(kCheckpointer, 1, kTake), SQLITE_OK);
  table.TakeLog();
  ASSERT_EQ(a.Lock(kWriter, 1, kTake), SQLITE_OK);
  ASSERT_EQ(a.Lock(kWriter, 1, kDrop), SQLITE_OK);
  EXPECT_EQ(table.TakeLog(), Log{}) << "granted and given back within the lock the checkpoint holds";
  EXPECT_EQ(b.Lock(kWriter, 1, kTake), SQLITE_BUSY) << "the checkpoint is not over";
  ASSERT_EQ(a.Lock(kCheckpointer, 1, kDrop), SQLITE_OK);
  EXPECT_EQ(table.owner(kWriter), 0);
  EXPECT_EQ(b.Lock(kWriter, 1, kTake), SQLITE_OK);
}

TEST(CheckpointExcludesWriters, ARecoveryUnderTheWriterLockTakesItsRangeAsAsked) {
  // walIndexRecover: the writer lock, then every slot but the writer's (checkpointer, recovery, readers).
  SlotTable table;
  Conn a{1, table};
  ASSERT_EQ(a.Lock(kWriter, 1, kTake), SQLITE_OK);
  ASSERT_EQ(a.Lock(kCheckpointer, 7, kTake), SQLITE_OK);
  ASSERT_EQ(a.Lock(kCheckpointer, 7, kDrop), SQLITE_OK);
  EXPECT_EQ(table.owner(kWriter), 1) << "still SQLite's until it gives it back";
  ASSERT_EQ(a.Lock(kWriter, 1, kDrop), SQLITE_OK);
  EXPECT_EQ(table.TakeLog(), (Log{"1 take 0+1", "1 take 1+7", "1 drop 1+7", "1 drop 0+1"}));
}

TEST(CheckpointExcludesWriters, ReadersLocksAreSQLitesAlone) {
  SlotTable table;
  Conn a{1, table}, b{2, table};
  ASSERT_EQ(a.Lock(kCheckpointer, 1, kTake), SQLITE_OK);
  table.TakeLog();
  EXPECT_EQ(b.Lock(3, 1, kTakeShared), SQLITE_OK) << "a checkpoint blocks no reader";
  EXPECT_EQ(b.Lock(4, 1, kTake), SQLITE_OK);
  EXPECT_EQ(table.TakeLog(), (Log{"2 take 3+1", "2 take 4+1"}));
}

TEST(CheckpointExcludesWriters, AFailedCheckpointerLockGivesTheWriterLockBack) {
  SlotTable table;
  Conn a{1, table};
  // Another connection checkpointing its way (SQLite's default VFS, say) holds the checkpointer slot only.
  ASSERT_EQ(table.Call(2, kCheckpointer, 1, kTake), SQLITE_OK);
  EXPECT_EQ(a.Lock(kCheckpointer, 1, kTake), SQLITE_BUSY);
  EXPECT_EQ(table.owner(kWriter), 0);
  EXPECT_FALSE(a.locks.holds_writer_for_checkpoint());
}

// ---- Through SQLite: two connections on one file in this process (the unix VFS's locks are per connection) ----

// What sqlite3_wal_checkpoint_v2 said, and how many frames the WAL had and how many were copied.
struct Checkpoint {
  int rc;
  int frames;
  int copied;
};
Checkpoint RunCheckpoint(RawConnection& c, int mode) {
  Checkpoint out{};
  out.rc = sqlite3_wal_checkpoint_v2(c.handle(), "main", mode, &out.frames, &out.copied);
  return out;
}

// A writer mid-transaction (its frames not yet committed) and committed frames of the other connection in the
// WAL, with automatic checkpoints off so that only the test checkpoints.
void WriterMidTransaction(RawConnection& checkpointer, RawConnection& writer) {
  OpenForWriting(checkpointer, "FULL");
  OpenForWriting(writer, "FULL");
  ASSERT_EQ(checkpointer.Exec("PRAGMA wal_autocheckpoint = 0"), "");
  ASSERT_EQ(writer.Exec("PRAGMA wal_autocheckpoint = 0"), "");
  ASSERT_EQ(checkpointer.Exec(InsertRows(1, 50)), "");
  ASSERT_EQ(writer.Exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (100000, randomblob(1024));"), "");
}

TEST(CheckpointExcludesWritersInSqlite, APassiveCheckpointWaitsUntilNoConnectionIsWriting) {
  temoin::testing::TempDir dir;
  RawConnection checkpointer(dir.path() / "t.db", testing::OurVfs());
  RawConnection writer(dir.path() / "t.db", testing::OurVfs());
  WriterMidTransaction(checkpointer, writer);

  EXPECT_EQ(RunCheckpoint(checkpointer, SQLITE_CHECKPOINT_PASSIVE).rc, SQLITE_BUSY);
  ASSERT_EQ(writer.Exec("COMMIT"), "");
  Checkpoint done = RunCheckpoint(checkpointer, SQLITE_CHECKPOINT_PASSIVE);
  EXPECT_EQ(done.rc, SQLITE_OK);
  EXPECT_GT(done.frames, 0);
  EXPECT_EQ(done.copied, done.frames) << "nobody writing: the whole WAL is copied";
  // The checkpoint gave the writer lock back.
  ASSERT_EQ(writer.Exec(InsertRows(200, 10)), "");
  EXPECT_EQ(checkpointer.Text("SELECT count(*) FROM t"), "61");
  EXPECT_EQ(checkpointer.Text("PRAGMA integrity_check"), "ok");
}

TEST(CheckpointExcludesWritersInSqlite, OnSqlitesDefaultVfsTheSameCheckpointRunsBesideTheWriter) {
  // What the VFS changes: SQLite's own passive checkpoint does not wait for the writer (the WAL-reset race
  // needs exactly that).
  temoin::testing::TempDir dir;
  RawConnection checkpointer(dir.path() / "t.db", nullptr);
  RawConnection writer(dir.path() / "t.db", nullptr);
  WriterMidTransaction(checkpointer, writer);
  Checkpoint beside = RunCheckpoint(checkpointer, SQLITE_CHECKPOINT_PASSIVE);
  EXPECT_EQ(beside.rc, SQLITE_OK);
  EXPECT_GT(beside.copied, 0);
  ASSERT_EQ(writer.Exec("COMMIT"), "");
}

TEST(CheckpointExcludesWritersInSqlite, StrongerCheckpointsStillCopyEverythingAndTruncateTheWal) {
  temoin::testing::TempDir dir;
  RawConnection a(dir.path() / "t.db", testing::OurVfs());
  RawConnection b(dir.path() / "t.db", testing::OurVfs());
  OpenForWriting(a, "FULL");
  OpenForWriting(b, "FULL");
  ASSERT_EQ(a.Exec("PRAGMA wal_autocheckpoint = 0"), "");
  for (int mode : {SQLITE_CHECKPOINT_FULL, SQLITE_CHECKPOINT_RESTART, SQLITE_CHECKPOINT_TRUNCATE}) {
    ASSERT_EQ(a.Exec(InsertRows(mode * 1000, 40)), "");
    Checkpoint c = RunCheckpoint(a, mode);
    EXPECT_EQ(c.rc, SQLITE_OK) << "mode " << mode;
    EXPECT_EQ(c.copied, c.frames) << "mode " << mode;
    ASSERT_EQ(b.Exec(InsertRows(mode * 1000 + 500, 5)), "") << "the writer lock was given back after mode " << mode;
  }
  EXPECT_EQ(RunCheckpoint(a, SQLITE_CHECKPOINT_TRUNCATE).rc, SQLITE_OK);
  EXPECT_EQ(std::filesystem::file_size(dir.path() / "t.db-wal"), 0u);
  EXPECT_EQ(b.Text("SELECT count(*) FROM t"), "135");
  EXPECT_EQ(b.Text("PRAGMA integrity_check"), "ok");
}

TEST(CheckpointExcludesWritersInSqlite, TwoWritersCheckpointingAllTheTimeLoseNothing) {
  // Two connections in two threads, each committing small transactions and checkpointing after every few
  // pages (the host's automatic checkpoint, made frequent): busy answers are retried, every row arrives once.
  temoin::testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "t.db";
  {
    RawConnection setup(file, testing::OurVfs());
    OpenForWriting(setup, "FULL");
  }
  constexpr int kTransactions = 150;
  std::atomic<int> failures{0};
  auto write = [&](int writer) {
    RawConnection c(file, testing::OurVfs());
    // The busy timeout first: the pragmas read the schema, which the other writer's commit or checkpoint may hold
    // locked for a moment (without it, under load, one writer gave up before its first row).
    if (c.opened()) sqlite3_busy_timeout(c.handle(), 5000);
    if (!c.opened() || c.Exec("PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 8") != "") {
      ++failures;
      return;
    }
    for (int i = 0; i < kTransactions; ++i) {
      if (c.Exec(InsertRows(writer * 100000 + i * 3, 3)) != "") ++failures;
    }
  };
  std::thread first(write, 1), second(write, 2);
  first.join();
  second.join();
  EXPECT_EQ(failures.load(), 0);
  RawConnection reader(file, nullptr);
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), std::to_string(2 * kTransactions * 3));
  EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace temoin::store
