// The optional daily backup of the hourly check: `temoin check --backup-dir DIR [--keep N]` over a database
// filled by the real host, on a faked clock (weeks pass in milliseconds): written on the first run, not again an
// hour later, again a day later, only N kept, nothing else in DIR touched; the copy restores and verifies with
// every event; a backup that cannot be written fails with its own exit code after the alerts were run. And the
// opt-in at install time: `temoin install --daily-backup DIR` writes it into the service, quoted for systemd,
// kept by later installs, removed by --no-daily-backup.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/daily_backup.h"
#include "hardening_util.h"
#include "install/installer.h"
#include "integration/install_fixture.h"
#include "platform/subprocess.h"
#include "protocol/timestamp.h"

namespace temoin::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr EpochMs kHour = 60 * 60 * 1000;

EpochMs RealNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

std::vector<fs::path> DailyBackups(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (cli::ParseDailyBackupName(e.path().filename().string())) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class DailyBackupCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = tmp_.path() / "data";
    backups_ = tmp_.path() / "Sauvegardes Témoin";  // a space and an accent, as a worker's folder may have
    auto host = StartHost(data_);
    ASSERT_TRUE(host);
    // A balance above zero, last seen an hour ago: a week of silence later, check raises no_contact.
    for (int i = 0; i < 40; ++i) {
      std::string id = "ev-" + std::to_string(i);
      json e = hardening::VariedEvent(id, i);
      ASSERT_EQ((*host->Call(e))["ok"], true) << e.dump();
      ids_.insert(id);
    }
    ASSERT_EQ(*host->Finish(), 0);
    now_ = RealNow() + 8 * 24 * kHour;
  }

  // `temoin ARGS` in-process, at the faked time now_.
  CliRun Temoin(std::vector<std::string> args) {
    FakeEnvironment env({{"HOME", (tmp_.path() / "home").string()}, {"TEMOIN_DATA_DIR", data_.string()}});
    FakeClock clock(now_);
    std::ostringstream out, err;
    cli::CliContext ctx{env, clock, out, err, fs::path(TEMOIN_CLI_BIN).parent_path()};
    std::vector<const char*> argv = {"temoin"};
    for (auto& a : args) argv.push_back(a.c_str());
    int code = cli::RunCli(static_cast<int>(argv.size()), argv.data(), ctx);
    return {code, out.str(), err.str()};
  }

  CliRun Check(const fs::path& dir, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"check", "--no-notify", "--backup-dir", dir.string()};
    args.insert(args.end(), more.begin(), more.end());
    return Temoin(args);
  }

  std::int64_t EventCount() {
    auto db = hardening::OpenForReading(data_);
    return db ? db->sql().execAndGet("SELECT COUNT(*) FROM events").getInt64() : -1;
  }

  TempDir tmp_;
  fs::path data_, backups_;
  std::set<std::string> ids_;
  EpochMs now_ = 0;
};

TEST_F(DailyBackupCheck, WrittenOnTheFirstRunNotAnHourLaterAgainADayLaterAndOnlyNKept) {
  fs::create_directories(backups_);
  const std::vector<std::string> foreign = {"notes.txt", "temoin-backup-20260101T000000Z.db",
                                            "temoin-daily-20200101T000000Z.db.old", "temoin-daily-latest.db"};
  for (const auto& f : foreign) std::ofstream(backups_ / f) << "the worker's own file";

  CliRun first = Check(backups_, {"--keep", "3"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  // The alerts come first, then the backup, which holds the alert events just raised.
  auto alert_at = first.out.find("NEW");
  auto backup_at = first.out.find("Daily backup: ");
  ASSERT_NE(alert_at, std::string::npos) << first.out;
  EXPECT_NE(first.out.find("no_contact"), std::string::npos) << first.out;
  ASSERT_NE(backup_at, std::string::npos) << first.out;
  EXPECT_LT(alert_at, backup_at);
  auto after_first = DailyBackups(backups_);
  ASSERT_EQ(after_first.size(), 1u);
  EXPECT_EQ(after_first[0].filename().string(), cli::DailyBackupName(now_));
  EXPECT_EQ(hardening::Mode(after_first[0]), 0600u);
  EXPECT_NE(first.out.find(std::to_string(EventCount()) + " events to " + after_first[0].string()), std::string::npos)
      << first.out;

  now_ += kHour;
  CliRun hour = Check(backups_, {"--keep", "3"});
  EXPECT_EQ(hour.exit_code, 0) << hour.err;
  EXPECT_NE(hour.out.find("not due"), std::string::npos) << hour.out;
  EXPECT_EQ(DailyBackups(backups_), after_first);

  now_ += 23 * kHour;  // 24 h after the first
  CliRun day = Check(backups_, {"--keep", "3"});
  EXPECT_EQ(day.exit_code, 0) << day.err;
  ASSERT_EQ(DailyBackups(backups_).size(), 2u) << day.out;
  EXPECT_EQ(DailyBackups(backups_)[1].filename().string(), cli::DailyBackupName(now_));

  // A week of hourly checks: one backup a day, the newest three kept.
  std::vector<std::string> written;
  for (int h = 1; h <= 7 * 24; ++h) {
    now_ += kHour;
    CliRun r = Check(backups_, {"--keep", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    if (r.out.find("not due") == std::string::npos) written.push_back(cli::DailyBackupName(now_));
  }
  EXPECT_EQ(written.size(), 7u);
  std::set<std::string> expected(foreign.begin(), foreign.end());
  expected.insert(written.end() - 3, written.end());
  EXPECT_EQ(Names(backups_), expected) << "only the newest 3 daily backups, and every foreign file";
  for (const auto& f : foreign) {
    std::ifstream in(backups_ / f);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "the worker's own file") << f;
  }
}

TEST_F(DailyBackupCheck, TheDailyBackupRestoresVerifiesAndHoldsEveryEvent) {
  fs::path usb = tmp_.path() / "usb";
  fs::create_directories(usb);
  fs::path dir = usb / "temoin backups";  // created 0700 by check: its parent exists
  CliRun r = Check(dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(hardening::Mode(dir), 0700u);
  auto copies = DailyBackups(dir);
  ASSERT_EQ(copies.size(), 1u);
  std::int64_t logged = EventCount();
  std::string heads = RunTemoin(data_, {"verify"}).out;

  // Destroy the data folder, then restore as docs/security.md says.
  fs::remove_all(data_);
  fs::create_directories(data_);
  ASSERT_EQ(::chmod(data_.c_str(), 0700), 0);
  fs::copy_file(copies[0], data_ / "temoin.db");
  ASSERT_EQ(::chmod((data_ / "temoin.db").c_str(), 0600), 0);
  CliResult verified = RunTemoin(data_, {"verify"});
  EXPECT_EQ(verified.exit_status, 0) << verified.out;
  EXPECT_NE(verified.out.find(std::to_string(logged) + " events in 3 chains: all links verified"), std::string::npos)
      << verified.out;
  EXPECT_EQ(verified.out, heads) << "the same chains with the same head hashes";
  auto db = hardening::OpenForReading(data_);
  ASSERT_TRUE(db);
  hardening::ExpectStoreIntact(*db);
  auto counts = hardening::IdCounts(*db);
  EXPECT_EQ(counts.size(), ids_.size());
  for (const auto& id : ids_) EXPECT_EQ(counts[id], 1) << id;
  EXPECT_GE(db->sql().execAndGet("SELECT COUNT(*) FROM events WHERE type = 'alert.raised'").getInt(), 1)
      << "the alert raised by this check is in its backup";
}

TEST_F(DailyBackupCheck, ABackupThatCannotBeWrittenFailsDistinctlyAfterTheAlerts) {
  // A file where the folder should be: a clear error for root too (root ignores modes).
  fs::path not_a_folder = tmp_.path() / "backups.txt";
  std::ofstream(not_a_folder) << "x";
  CliRun r = Check(not_a_folder, {"--fail-on-alert"});
  EXPECT_EQ(r.exit_code, cli::kExitBackupFailed) << r.out << r.err;
  EXPECT_NE(r.out.find("NEW"), std::string::npos) << "the alerts were run and printed: " << r.out;
  EXPECT_NE(r.err.find("daily backup FAILED"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is not a folder"), std::string::npos) << r.err;
  CliRun alerts = Temoin({"alerts", "--json"});
  ASSERT_EQ(alerts.exit_code, 0);
  EXPECT_GE(json::parse(alerts.out).size(), 1u) << "the alert was recorded although the backup failed";

  // A folder that cannot be written: a read-only disk (root) or a folder without write permission.
  fs::path ro = tmp_.path() / "ro";
  std::unique_ptr<hardening::TmpfsMount> mount;
  if (::geteuid() == 0) {
    mount = std::make_unique<hardening::TmpfsMount>(ro, 1 << 20);
    if (!mount->mounted() || !mount->Remount(1 << 20, /*read_only=*/true)) {
      GTEST_SKIP() << "cannot mount a read-only tmpfs: " << mount->error();
    }
  } else {
    fs::create_directories(ro);
    ASSERT_EQ(::chmod(ro.c_str(), 0500), 0);
  }
  now_ += 30 * 24 * kHour;  // new alerts may be raised or not; the exit code says the backup failed
  CliRun unwritable = Check(ro);
  ::chmod(ro.c_str(), 0700);
  EXPECT_EQ(unwritable.exit_code, cli::kExitBackupFailed) << unwritable.out << unwritable.err;
  EXPECT_NE(unwritable.err.find("daily backup FAILED: cannot create " + ro.string()), std::string::npos)
      << unwritable.err;
  EXPECT_TRUE(unwritable.out.find("NEW") != std::string::npos || unwritable.out.find("No new alert") != std::string::npos ||
              unwritable.out.find("resolved") != std::string::npos)
      << unwritable.out;
  EXPECT_TRUE(Names(ro).empty()) << "nothing left behind";

  // A missing backup disk: its folder is not created on the internal disk.
  CliRun unmounted = Check(tmp_.path() / "media" / "stick" / "temoin");
  EXPECT_EQ(unmounted.exit_code, cli::kExitBackupFailed);
  EXPECT_NE(unmounted.err.find("is the backup disk mounted?"), std::string::npos) << unmounted.err;
  EXPECT_FALSE(fs::exists(tmp_.path() / "media"));
}

TEST_F(DailyBackupCheck, UsageErrors) {
  EXPECT_EQ(Temoin({"check", "--no-notify", "--keep", "3"}).exit_code, cli::kExitUsage);
  EXPECT_EQ(Temoin({"check", "--no-notify", "--backup-dir", backups_.string(), "--keep", "0"}).exit_code,
            cli::kExitUsage);
  EXPECT_EQ(Temoin({"check", "--no-notify", "--backup-dir", ""}).exit_code, cli::kExitUsage);
  EXPECT_FALSE(fs::exists(backups_));
  // Without --backup-dir, check is as it was: no backup anywhere.
  CliRun plain = Temoin({"check", "--no-notify"});
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.out.find("Daily backup"), std::string::npos);
}

// --- the opt-in at install time --------------------------------------------------------------------------

class DailyBackupInstall : public InstallFixture {
 protected:
  fs::path Service() const { return home_ / ".config/systemd/user/temoin-check.service"; }

  // `temoin install` in-process as if the binaries were in `bin_dir`.
  CliRun InstallFrom(const fs::path& bin_dir, std::vector<std::string> args) {
    FakeEnvironment env = Env();
    FakeClock clock(1'785'000'000'000);
    std::ostringstream out, err;
    cli::CliContext ctx{env, clock, out, err, bin_dir};
    std::vector<const char*> argv = {"temoin", "install", "--host", TEMOIN_HOST_BIN};
    for (auto& a : args) argv.push_back(a.c_str());
    int code = cli::RunCli(static_cast<int>(argv.size()), argv.data(), ctx);
    return {code, out.str(), err.str()};
  }

  std::string ExecStart() {
    std::istringstream lines(ReadText(Service()));
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("ExecStart=", 0) == 0) return line.substr(10);
    }
    return "";
  }
};

TEST_F(DailyBackupInstall, TheServiceRunsTheBackupWithPathsWithSpacesKeptOnReinstallAndRemovable) {
  // The binaries in a folder with a space, the backups in another.
  fs::path bin = tmp_.path() / "my programs";
  fs::create_directories(bin);
  fs::create_symlink(TEMOIN_CLI_BIN, bin / "temoin");
  fs::path dir = tmp_.path() / "Backups 100% $HOME";
  CliRun r = InstallFrom(bin, {"--daily-backup", dir.string(), "--daily-backup-keep", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Daily backup: the hourly check copies the database into " + dir.string()), std::string::npos)
      << r.out;
  std::string exec = ExecStart();
  EXPECT_EQ(exec, "\"" + (bin / "temoin").string() + "\" check --backup-dir \"" + tmp_.path().string() +
                      "/Backups 100%% $$HOME\" --keep 5")
      << exec;
  EXPECT_EQ(install::SystemdSplit(exec),
            (std::vector<std::string>{(bin / "temoin").string(), "check", "--backup-dir", dir.string(), "--keep", "5"}));

  // systemd itself accepts the unit (and finds the executable in spite of the space), when it is here.
  if (fs::exists("/usr/bin/systemd-analyze") || fs::exists("/bin/systemd-analyze")) {
    std::string tool = fs::exists("/usr/bin/systemd-analyze") ? "/usr/bin/systemd-analyze" : "/bin/systemd-analyze";
    auto p = Subprocess::Spawn({tool, "verify", Service().string()}, {}, false);
    ASSERT_TRUE(p.ok());
    (*p)->CloseStdin();
    std::string out;
    while (true) {
      auto chunk = (*p)->ReadExactly(1, std::chrono::seconds(30));
      if (!chunk.ok()) break;
      out += *chunk;
    }
    EXPECT_EQ(*(*p)->Wait(std::chrono::seconds(30)), 0) << out;
  }

  // Run the command the unit holds, as systemd would split it: a backup lands in the folder with spaces.
  {
    auto args = install::SystemdSplit(exec);
    args.push_back("--no-notify");
    auto p = Subprocess::Spawn(args, {{"TEMOIN_DATA_DIR", data_.string()}, {"HOME", home_.string()}}, true);
    ASSERT_TRUE(p.ok());
    (*p)->CloseStdin();
    while ((*p)->ReadExactly(1, std::chrono::seconds(60)).ok()) {
    }
    EXPECT_EQ(*(*p)->Wait(std::chrono::seconds(60)), 0);
    EXPECT_EQ(DailyBackups(dir).size(), 1u);
  }

  // A plain install again keeps the daily backup: nothing to change.
  CliRun again = InstallFrom(bin, {});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("unchanged: " + Service().string()), std::string::npos) << again.out;
  EXPECT_NE(ExecStart().find("--backup-dir"), std::string::npos);

  // Another folder replaces it; --no-daily-backup removes it.
  fs::path other = tmp_.path() / "other";
  ASSERT_EQ(InstallFrom(bin, {"--daily-backup", other.string()}).exit_code, 0);
  EXPECT_EQ(install::DailyBackupFromServiceUnit(ReadText(Service())), (install::DailyBackup{.dir = other}));
  CliRun off = InstallFrom(bin, {"--no-daily-backup"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_EQ(ExecStart(), "\"" + (bin / "temoin").string() + "\" check");

  // The unit is still ours: uninstall removes it.
  CliRun u = Temoin({"uninstall"});
  EXPECT_EQ(u.exit_code, 0) << u.out << u.err;
  EXPECT_FALSE(fs::exists(Service()));
}

TEST_F(DailyBackupInstall, ARelativeFolderIsMadeAbsoluteAndWithoutTheTimerItIsRefused) {
  CliRun relative = Temoin({"install", "--host", TEMOIN_HOST_BIN, "--daily-backup", "rel/dir"});
  ASSERT_EQ(relative.exit_code, 0) << relative.err;
  auto backup = install::DailyBackupFromServiceUnit(ReadText(Service()));
  ASSERT_TRUE(backup.has_value());
  EXPECT_TRUE(backup->dir.is_absolute());
  EXPECT_EQ(backup->dir, (fs::current_path() / "rel/dir").lexically_normal());
  EXPECT_NE(relative.out.find("does not exist now"), std::string::npos) << relative.out;

  EXPECT_EQ(Temoin({"install", "--host", TEMOIN_HOST_BIN, "--daily-backup", "/x", "--no-timer"}).exit_code,
            cli::kExitUsage);
  EXPECT_EQ(Temoin({"install", "--host", TEMOIN_HOST_BIN, "--daily-backup", "/x", "--no-daily-backup"}).exit_code,
            cli::kExitUsage);
  EXPECT_EQ(Temoin({"install", "--host", TEMOIN_HOST_BIN, "--daily-backup-keep", "3"}).exit_code, cli::kExitUsage);
  CliRun system = Temoin({"install", "--host", TEMOIN_HOST_BIN, "--system", "--daily-backup", "/x", "--dry-run",
                          "--browser", "chromium"});
  EXPECT_EQ(system.exit_code, cli::kExitUsage) << system.out << system.err;
  EXPECT_NE(system.err.find("--daily-backup is taken by the hourly"), std::string::npos) << system.err;
}

}  // namespace
}  // namespace temoin::testing
