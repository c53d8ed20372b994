// Shared by the install and doctor tests: a temporary HOME with fake browser folders (~/.config/chromium,
// ~/.mozilla), a fake system root (so the machine's own browsers and /etc are never read or written), and
// helpers to run `temoin` in-process against them.
#ifndef TEMOIN_TESTS_INTEGRATION_INSTALL_FIXTURE_H_
#define TEMOIN_TESTS_INTEGRATION_INSTALL_FIXTURE_H_

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "install/installer.h"
#include "platform/clock.h"
#include "platform/environment.h"
#include "protocol/extension_identity.h"
#include "test_support/temp_dir.h"

namespace temoin::testing {

namespace fs = std::filesystem;

inline std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteText(const fs::path& p, const std::string& text, unsigned mode = 0644) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  ::chmod(p.c_str(), mode);
}

// Every path under `dir` with its type and mode, for before/after comparisons.
inline std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    struct stat st{};
    ::lstat(e.path().c_str(), &st);
    std::string what = (S_ISDIR(st.st_mode) ? "dir " : "file ") + std::to_string(st.st_mode & 07777);
    if (S_ISREG(st.st_mode)) what += " " + ReadText(e.path());
    out[fs::relative(e.path(), dir).string()] = what;
  }
  return out;
}

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

class InstallFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = tmp_.path() / "home";
    data_ = tmp_.path() / "data";
    sysroot_ = tmp_.path() / "sysroot";
    // A Chromium and a Firefox that have been used: their folders hold files of their own.
    WriteText(home_ / ".config/chromium/Local State", "{}");
    WriteText(home_ / ".mozilla/firefox/profiles.ini", "[General]\n");
    fs::create_directories(sysroot_);
    user_.name = "ana";
    user_.home = home_;
    user_.uid = ::geteuid();
    user_.gid = ::getegid();
  }

  FakeEnvironment Env() const {
    return FakeEnvironment({{"HOME", home_.string()}, {"TEMOIN_DATA_DIR", data_.string()}});
  }

  install::Request BaseRequest() const {
    install::Request r;
    r.host_path = TEMOIN_HOST_BIN;
    r.cli_path = TEMOIN_CLI_BIN;
    r.data_dir = data_;
    r.root = sysroot_;
    return r;
  }

  // Plans and applies an install; fails the test on error.
  install::Plan Install(const install::Request& req) {
    FakeEnvironment env = Env();
    auto plan = install::PlanInstall(req, user_, env);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    if (!plan.ok()) return {};
    Status applied = install::ApplyPlan(*plan, user_, req.scope);
    EXPECT_TRUE(applied.ok()) << applied.ToString();
    return *plan;
  }

  // Runs `temoin ARGS` in-process with the fake HOME; temoin-host is the built one.
  CliRun Temoin(std::vector<std::string> args) {
    FakeEnvironment env = Env();
    FakeClock clock(1'785'000'000'000);
    std::ostringstream out, err;
    cli::CliContext ctx{env, clock, out, err, fs::path(TEMOIN_CLI_BIN).parent_path()};
    std::vector<const char*> argv = {"temoin"};
    for (auto& a : args) argv.push_back(a.c_str());
    int code = cli::RunCli(static_cast<int>(argv.size()), argv.data(), ctx);
    return {code, out.str(), err.str()};
  }

  fs::path ChromiumManifest() const { return home_ / ".config/chromium/NativeMessagingHosts/org.temoin.host.json"; }
  fs::path FirefoxManifest() const { return home_ / ".mozilla/native-messaging-hosts/org.temoin.host.json"; }

  TempDir tmp_;
  fs::path home_, data_, sysroot_;
  install::TargetUser user_;
};

}  // namespace temoin::testing

#endif  // TEMOIN_TESTS_INTEGRATION_INSTALL_FIXTURE_H_
