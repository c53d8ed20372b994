#include "app/synced_output.h"

#include <fcntl.h>
#include <poll.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <string>

#include "test_support/temp_dir.h"

namespace temoin::app {
namespace {

// A pipe whose read end the test reads as the browser would.
class Pipe {
 public:
  Pipe() { EXPECT_EQ(::pipe2(fds_, O_CLOEXEC), 0); }
  ~Pipe() {
    CloseRead();
    if (fds_[1] >= 0) ::close(fds_[1]);
  }
  int write_end() const { return fds_[1]; }
  void CloseRead() {
    if (fds_[0] >= 0) ::close(fds_[0]);
    fds_[0] = -1;
  }
  // Reads `n` bytes, or what came within 10 s.
  std::string Read(std::size_t n) {
    std::string out(n, '\0');
    std::size_t got = 0;
    while (got < n) {
      pollfd p{fds_[0], POLLIN, 0};
      if (::poll(&p, 1, 10'000) != 1) break;
      ssize_t r = ::read(fds_[0], out.data() + got, n - got);
      if (r <= 0) break;
      got += static_cast<std::size_t>(r);
    }
    out.resize(got);
    return out;
  }
  // What is there now, without waiting.
  std::string ReadAvailable() {
    int flags = ::fcntl(fds_[0], F_GETFL);
    ::fcntl(fds_[0], F_SETFL, flags | O_NONBLOCK);
    std::string out;
    char buffer[4096];
    ssize_t r;
    while ((r = ::read(fds_[0], buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<std::size_t>(r));
    ::fcntl(fds_[0], F_SETFL, flags);
    return out;
  }

 private:
  int fds_[2] = {-1, -1};
};

// A WAL file to sync (its content does not matter to the deferral).
std::filesystem::path MakeWal(const temoin::testing::TempDir& dir) {
  auto path = dir.path() / "t.db-wal";
  std::ofstream(path) << "frames";
  return path;
}

TEST(SyncedOutput, WithNothingPendingWritesAtOnceAndInOrder) {
  Pipe pipe;
  SyncedOutput output(pipe.write_end());
  EXPECT_TRUE(output.Write("first ", {}));
  EXPECT_TRUE(output.Write("second", {}));
  EXPECT_EQ(pipe.ReadAvailable(), "first second");  // written on the caller's thread, before any Finish
  EXPECT_TRUE(output.Finish().ok());
}

TEST(SyncedOutput, WhatWasSaidAfterACommitLeavesOnceTheCommitIsDurableAndInOrder) {
  temoin::testing::TempDir dir;
  store::WalSyncDeferral deferral(MakeWal(dir));
  Pipe pipe;
  SyncedOutput output(pipe.write_end());
  EXPECT_TRUE(output.Write("before ", SyncTicket::Now(&deferral)));  // nothing deferred yet: no ticket
  deferral.Defer();
  deferral.Defer();
  SyncTicket ticket = SyncTicket::Now(&deferral);
  EXPECT_TRUE(ticket.needed());
  EXPECT_EQ(ticket.through, 2u);
  // The first write that waits is synced and written before Write returns (a cold start's one event).
  EXPECT_TRUE(output.Write("ack ", ticket));
  EXPECT_EQ(deferral.synced(), 2u);
  EXPECT_EQ(pipe.ReadAvailable(), "before ack ");
  // Later ones go through the writer thread; what is said after them, with nothing of its own to wait for,
  // still leaves after them.
  deferral.Defer();
  EXPECT_TRUE(output.Write("ack2 ", SyncTicket::Now(&deferral)));
  EXPECT_TRUE(output.Write("push", {}));
  EXPECT_EQ(pipe.Read(9), "ack2 push");
  EXPECT_EQ(deferral.synced(), 3u);
  EXPECT_EQ(deferral.syncs(), 2u);
  EXPECT_TRUE(output.Finish().ok());
}

TEST(SyncedOutput, AfterAFailedSyncNothingMoreIsWritten) {
  temoin::testing::TempDir dir;
  store::WalSyncDeferral good(MakeWal(dir));
  store::WalSyncDeferral failing(dir.path() / "missing" / "t.db-wal");  // cannot be opened: every sync fails
  for (bool on_writer_thread : {false, true}) {
    SCOPED_TRACE(on_writer_thread ? "the writer thread's sync" : "the first sync, on the caller's thread");
    Pipe pipe;
    std::atomic<int> ends{0};
    SyncedOutput output(pipe.write_end(), [&ends] { ++ends; });
    if (on_writer_thread) {
      good.Defer();
      EXPECT_TRUE(output.Write("acknowledged ", SyncTicket::Now(&good)));
    }
    EXPECT_TRUE(output.Write("said before the commit ", {}));
    failing.Defer();
    output.Write("ack of the commit", SyncTicket::Now(&failing));
    output.Write("reply said after it", {});
    Status ended = output.Finish();
    EXPECT_EQ(ended.code(), Code::kStorage) << ended.ToString();
    EXPECT_EQ(ends.load(), on_writer_thread ? 1 : 0);  // on the caller's thread, Write's result says it
    EXPECT_EQ(pipe.ReadAvailable(), std::string(on_writer_thread ? "acknowledged " : "") + "said before the commit ");
    EXPECT_FALSE(output.Write("anything", {}));
    EXPECT_EQ(pipe.ReadAvailable(), "");
  }
}

TEST(SyncedOutput, AClosedOutputEndsIt) {
  auto previous = std::signal(SIGPIPE, SIG_IGN);  // as temoin-host's main does
  temoin::testing::TempDir dir;
  store::WalSyncDeferral deferral(MakeWal(dir));
  Pipe pipe;
  pipe.CloseRead();
  SyncedOutput output(pipe.write_end());
  EXPECT_FALSE(output.Write("nobody reads this", {}));  // written at once: the error is known at once
  SyncedOutput queued(pipe.write_end());
  deferral.Defer();
  EXPECT_FALSE(queued.Write("nor this, once synced", SyncTicket::Now(&deferral)));
  EXPECT_TRUE(deferral.synced() == 1u);
  EXPECT_EQ(queued.Finish().code(), Code::kIo);
  EXPECT_EQ(output.Finish().code(), Code::kIo);
  std::signal(SIGPIPE, previous);
}

}  // namespace
}  // namespace temoin::app
