#include "store/wal_write_batching_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/raw_connection_test_util.h"
#include "test_support/temp_dir.h"

namespace temoin::store {
namespace {

// The process's write system calls so far (/proc/self/io, "syscw"): what the VFS exists to reduce, counted by
// the kernel rather than by a wrapper of ours. -1 where the kernel does not keep it.
long long WriteSyscalls() {
  std::ifstream io("/proc/self/io");
  std::string key;
  long long value = 0;
  while (io >> key >> value) {
    if (key == "syscw:") return value;
  }
  return -1;
}

using testing::InsertRows;
using testing::OpenForWriting;
using Connection = testing::RawConnection;

const char* Vfs() { return testing::OurVfs(); }

TEST(WalWriteBatchingVfs, ACommitReachesTheWalInAFewWritesInsteadOfTwoAPage) {
  if (WriteSyscalls() < 0) GTEST_SKIP() << "/proc/self/io keeps no count of write calls here";
  temoin::testing::TempDir dir;
  long long plain = 0, batched = 0;
  for (const char* vfs : {static_cast<const char*>(nullptr), Vfs()}) {
    Connection c(dir.path() / (vfs ? "batched.db" : "plain.db"), vfs);
    OpenForWriting(c, "FULL");
    ASSERT_EQ(c.Exec(InsertRows(1, 10)), "");  // the WAL exists and has its header
    long long before = WriteSyscalls();
    ASSERT_EQ(c.Exec(InsertRows(100, 120)), "");
    (vfs ? batched : plain) = WriteSyscalls() - before;
  }
  // 120 rows of 1 KiB and an index on them: two writes a page the usual way (over 300 here). Gathered, one
  // write per 64 KiB, and a frame is a 4 KiB page and its 24-byte header: about 1/30 as many.
  EXPECT_GE(plain, 160);
  EXPECT_LE(batched * 20, plain) << batched << " writes against " << plain << " with SQLite's default VFS";
}

TEST(WalWriteBatchingVfs, WhatOneConnectionCommitsAnotherOnTheDefaultVfsReads) {
  temoin::testing::TempDir dir;
  Connection writer(dir.path() / "t.db", Vfs());
  OpenForWriting(writer, "FULL");
  Connection reader(dir.path() / "t.db", nullptr);
  ASSERT_TRUE(reader.opened());
  for (int batch = 0; batch < 20; ++batch) {
    ASSERT_EQ(writer.Exec(InsertRows(batch * 50 + 1, 50)), "");
    EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), std::to_string((batch + 1) * 50));
  }
  // More than the most that is gathered in one transaction (1,500 KiB of rows): written in several runs.
  ASSERT_EQ(writer.Exec(InsertRows(5000, 1500)), "");
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "2500");
  // A rolled-back transaction leaves nothing, and the next one is read whole.
  ASSERT_EQ(writer.Exec("BEGIN IMMEDIATE; DELETE FROM t; ROLLBACK;"), "");
  ASSERT_EQ(writer.Exec(InsertRows(9000, 30)), "");
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "2530");
  EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(writer.Text("SELECT count(*) FROM t"), "2530");
}

TEST(WalWriteBatchingVfs, WhatWasCommittedIsInTheFilesAfterTheConnectionCloses) {
  temoin::testing::TempDir dir;
  {
    Connection writer(dir.path() / "t.db", Vfs());
    OpenForWriting(writer, "FULL");
    ASSERT_EQ(writer.Exec(InsertRows(1, 300)), "");
    ASSERT_EQ(writer.Exec("PRAGMA wal_checkpoint(PASSIVE)"), "");
    ASSERT_EQ(writer.Exec(InsertRows(301, 300)), "");
  }
  Connection reader(dir.path() / "t.db", nullptr);
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "600");
  EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
}

TEST(WalWriteBatchingVfs, ARunThatCannotBeWrittenFailsItsCommitAndChangesNothing) {
  temoin::testing::TempDir dir;
  Connection writer(dir.path() / "t.db", Vfs());
  OpenForWriting(writer, "FULL");
  ASSERT_EQ(writer.Exec(InsertRows(1, 100)), "");
  // No file may grow more than 64 KiB past the WAL's size now (RLIMIT_FSIZE; with SIGXFSZ ignored the write
  // fails with EFBIG): the next commit's run, several hundred KiB, is cut short when it is written at the sync.
  rlimit before{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
  auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = before;
  small.rlim_cur = std::filesystem::file_size(dir.path() / "t.db-wal") + (64u << 10);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string error = writer.Exec(InsertRows(1000, 300));
  ::setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, previous_handler);

  EXPECT_NE(error, "");
  writer.Exec("ROLLBACK");  // if SQLite did not already
  Connection reader(dir.path() / "t.db", nullptr);
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "100");
  EXPECT_EQ(writer.Text("SELECT count(*) FROM t"), "100");
  // Space again: the same transaction commits whole.
  ASSERT_EQ(writer.Exec(InsertRows(1000, 300)), "");
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "400");
  EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
}

TEST(WalWriteBatchingVfs, NothingIsGatheredUnlessEveryCommitSyncs) {
  if (WriteSyscalls() < 0) GTEST_SKIP() << "/proc/self/io keeps no count of write calls here";
  temoin::testing::TempDir dir;
  // With synchronous = NORMAL a commit does not sync the WAL, so nothing would write a gathered run before the
  // commit is published: the VFS must write each frame as it comes.
  Connection c(dir.path() / "t.db", Vfs());
  OpenForWriting(c, "NORMAL");
  ASSERT_EQ(c.Exec(InsertRows(1, 10)), "");
  long long before = WriteSyscalls();
  ASSERT_EQ(c.Exec(InsertRows(100, 120)), "");
  long long normal = WriteSyscalls() - before;
  EXPECT_GE(normal, 160);
  Connection reader(dir.path() / "t.db", nullptr);
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "130");
}

TEST(WalWriteBatchingVfs, RegisteringOverAMissingVfsSaysWhich) {
  Status s = RegisterWalWriteBatchingVfs("temoin-test-over-nothing", "no-such-vfs");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("no-such-vfs"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace temoin::store
