// Least privilege: the host opens no network socket (its /proc/PID/fd lists only pipes, its data files, its
// log, /dev/null and the event loop's kernel objects), its data folder is 0700 and its files 0600 whatever the
// umask, modes left too open are repaired at start, a folder that belongs to another user is refused with a
// clear message, and another local user can read nothing of it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "hardening_util.h"

namespace temoin::testing::hardening {
namespace {

// What each of the host's file descriptors points at.
std::vector<std::string> OpenFiles(pid_t pid) {
  std::vector<std::string> targets;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    std::error_code ec;
    auto target = fs::read_symlink(entry.path(), ec);
    if (!ec) targets.push_back(target.string());
  }
  return targets;
}

TEST(HardeningPrivilege, TheHostOpensNoNetworkSocket) {
  TempDir dir;
  auto host = StartHost(dir.path());
  ASSERT_TRUE(host);
  // Exercise every path that touches files: events (the log and its WAL), queries, an export into Downloads.
  for (int i = 0; i < 10; ++i) ASSERT_EQ((*host->Call(VariedEvent("n" + std::to_string(i), i)))["ok"], true);
  ASSERT_EQ((*host->Call({{"v", 1}, {"type", "query.summary"}, {"id", "s"}}))["ok"], true);
  ASSERT_EQ((*host->Call({{"v", 1}, {"type", "query.events"}, {"id", "e"}}))["ok"], true);
  auto exported = host->Call({{"v", 1}, {"type", "export"}, {"id", "x"}, {"platform", "dataannotation"},
                              {"account", "ana@example.org"}});
  ASSERT_TRUE(exported.ok());

  auto files = OpenFiles(host->process().pid());
  ASSERT_FALSE(files.empty());
  const std::string data = fs::canonical(dir.path()).string();
  int pipes = 0, db_files = 0;
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    EXPECT_EQ(f.rfind("socket:", 0), std::string::npos) << "the host holds a socket";
    if (f.rfind("pipe:", 0) == 0) {
      ++pipes;
    } else if (f.rfind("anon_inode:", 0) == 0) {
      // Asio's epoll, eventfd and timerfd (and a signalfd, where used): kernel objects, not network.
      EXPECT_TRUE(f.find("eventpoll") != std::string::npos || f.find("eventfd") != std::string::npos ||
                  f.find("timerfd") != std::string::npos || f.find("signalfd") != std::string::npos)
          << "an unexpected kernel object";
    } else if (f == "/dev/null") {
    } else {
      EXPECT_EQ(f.rfind(data + "/", 0), 0u) << "a file outside the data folder";
      std::string name = fs::path(f).filename().string();
      EXPECT_TRUE(name.rfind("temoin.db", 0) == 0 || name.rfind("temoin-host", 0) == 0) << "an unexpected file";
      if (name.rfind("temoin.db", 0) == 0) ++db_files;
    }
  }
  EXPECT_GE(pipes, 2) << "standard input and output are pipes";
  EXPECT_GE(db_files, 1) << "the database is open";
  EXPECT_EQ(*host->Finish(), 0);
}

TEST(HardeningPrivilege, TheDataFolderIs0700AndItsFiles0600WhateverTheUmask) {
  TempDir dir;
  fs::path data = dir.path() / "fresh" / "temoin";
  mode_t old = ::umask(0);  // the most permissive session; the host must not inherit it
  auto host = StartHost(data);
  ::umask(old);
  ASSERT_TRUE(host);
  ASSERT_EQ((*host->Call(VariedEvent("m1", 1)))["ok"], true);
  EXPECT_EQ(Mode(data), 0700u);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(data)) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(Mode(entry.path()), 0600u) << entry.path();
    ++files;
  }
  EXPECT_GE(files, 3) << "the database, its WAL and the log";
  EXPECT_EQ(*host->Finish(), 0);
}

TEST(HardeningPrivilege, ModesLeftTooOpenAreRepairedAtStart) {
  TempDir dir;
  {
    auto host = StartHost(dir.path());
    ASSERT_EQ((*host->Call(VariedEvent("r1", 1)))["ok"], true);
    ASSERT_EQ(*host->Finish(), 0);
  }
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod((dir.path() / "temoin.db").c_str(), 0644), 0);
  std::ofstream(dir.path() / "host.json") << "{}";
  ASSERT_EQ(::chmod((dir.path() / "host.json").c_str(), 0666), 0);

  auto host = StartHost(dir.path());
  ASSERT_EQ((*host->Call({{"v", 1}, {"type", "ping"}, {"id", "p"}}))["ok"], true);
  EXPECT_EQ(Mode(dir.path()), 0700u);
  EXPECT_EQ(Mode(dir.path() / "temoin.db"), 0600u);
  EXPECT_EQ(Mode(dir.path() / "host.json"), 0600u);
  EXPECT_EQ(*host->Finish(), 0);
}

TEST(HardeningPrivilege, AFolderOfAnotherUserIsRefusedWithAClearMessage) {
  auto nobody = FindNobody();
  if (!nobody) GTEST_SKIP() << "needs root and a `nobody` account to give the folder away";
  TempDir dir;
  fs::path data = dir.path() / "theirs";
  fs::create_directories(data);
  ASSERT_EQ(::chmod(data.c_str(), 0700), 0);
  ChownTree(data, nobody->uid, nobody->gid);
  auto host = StartHost(data);  // as root, whose folder it is not
  ASSERT_TRUE(host);
  auto reply = host->Call(VariedEvent("t1", 1));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ((*reply)["error"]["code"], "storage") << reply->dump();
  EXPECT_NE((*reply)["error"]["message"].get<std::string>().find("another user"), std::string::npos) << reply->dump();
  EXPECT_EQ(*host->Finish(), 0);
  EXPECT_FALSE(fs::exists(data / "temoin.db")) << "nothing is created in someone else's folder";
}

TEST(HardeningPrivilege, AnotherLocalUserCanReadNothing) {
  auto nobody = FindNobody();
  if (!nobody || !HaveSetpriv()) GTEST_SKIP() << "needs root, a `nobody` account and setpriv";
  TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);  // the parent is open, as a home folder may be
  fs::path data = dir.path() / "temoin";
  {
    auto host = StartHost(data);
    ASSERT_EQ((*host->Call(VariedEvent("secret", 3)))["ok"], true);
    ASSERT_EQ(*host->Finish(), 0);
  }
  for (const fs::path& target : {data / "temoin.db", data / "temoin-host.log", data}) {
    SCOPED_TRACE(target.string());
    std::vector<std::string> argv{SetprivPath(), "--reuid=" + std::to_string(nobody->uid),
                                  "--regid=" + std::to_string(nobody->gid), "--clear-groups", "--",
                                  fs::is_directory(target) ? "/bin/ls" : "/bin/cat", target.string()};
    auto p = Subprocess::Spawn(argv, {}, /*quiet_stderr=*/true);
    ASSERT_TRUE(p.ok());
    (*p)->CloseStdin();
    auto leaked = (*p)->ReadExactly(1, std::chrono::seconds(5));
    EXPECT_FALSE(leaked.ok()) << "another user read something";
    auto status = (*p)->Wait(std::chrono::seconds(5));
    ASSERT_TRUE(status.ok());
    EXPECT_NE(*status, 0);
  }
}

}  // namespace
}  // namespace temoin::testing::hardening
