// temoin install / uninstall in a temporary HOME with fake browser folders: what is written where, what is
// never touched, and what a dry run, a profile, sudo, Flatpak, snap, macOS and Windows plans look like.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "install/manifest.h"
#include "install/target_user.h"
#include "integration/install_fixture.h"

namespace temoin::testing {
namespace {

using nlohmann::json;

const std::string kStoreId = "abcdefghijklmnopabcdefghijklmnop";  // a Chromium id shape: 32 letters a-p

std::string Origin() { return protocol::ChromiumOrigin(protocol::ChromiumExtensionId()); }

class InstallTest : public InstallFixture {};

TEST_F(InstallTest, WritesAManifestForEachBrowserFoundAndTheTimer) {
  CliRun r = Temoin({"install", "--host", TEMOIN_HOST_BIN});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("wrote " + ChromiumManifest().string()), std::string::npos) << r.out;

  json chromium = json::parse(ReadText(ChromiumManifest()));
  EXPECT_EQ(chromium["name"], "org.temoin.host");
  EXPECT_EQ(chromium["type"], "stdio");
  EXPECT_EQ(chromium["path"], fs::path(TEMOIN_HOST_BIN).lexically_normal().string());
  EXPECT_NE(chromium["description"].get<std::string>().find("Témoin"), std::string::npos);
  EXPECT_EQ(chromium["allowed_origins"], json::array({Origin()}));
  EXPECT_FALSE(chromium.contains("allowed_extensions"));

  json firefox = json::parse(ReadText(FirefoxManifest()));
  EXPECT_EQ(firefox["allowed_extensions"], json::array({"temoin@temoin.org"}));
  EXPECT_FALSE(firefox.contains("allowed_origins"));

  // Browsers not found get nothing.
  EXPECT_FALSE(fs::exists(home_ / ".config/google-chrome"));
  EXPECT_FALSE(fs::exists(home_ / ".config/BraveSoftware"));

  std::string service = ReadText(home_ / ".config/systemd/user/temoin-check.service");
  EXPECT_NE(service.find("ExecStart=" + fs::path(TEMOIN_CLI_BIN).lexically_normal().string() + " check"),
            std::string::npos);
  EXPECT_NE(ReadText(home_ / ".config/systemd/user/temoin-check.timer").find("OnCalendar=hourly"), std::string::npos);

  // Again: nothing to change.
  CliRun again = Temoin({"install", "--host", TEMOIN_HOST_BIN});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.out.find("wrote "), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("unchanged: " + ChromiumManifest().string()), std::string::npos);
}

TEST_F(InstallTest, UninstallLeavesNothingBehind) {
  auto before = Snapshot(tmp_.path());
  ASSERT_EQ(Temoin({"install", "--host", TEMOIN_HOST_BIN, "--browser", "chromium", "--browser", "firefox"}).exit_code, 0);
  ASSERT_NE(Snapshot(tmp_.path()), before);
  CliRun r = Temoin({"uninstall"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("removed " + ChromiumManifest().string()), std::string::npos) << r.out;
  EXPECT_EQ(Snapshot(tmp_.path()), before);
}

TEST_F(InstallTest, AnotherProgramsManifestIsNeverTouched) {
  const std::string foreign =
      R"({"name":"org.temoin.host","description":"Something else","path":"/usr/bin/other-host","type":"stdio",)"
      R"("allowed_origins":["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"]})";
  WriteText(ChromiumManifest(), foreign);

  CliRun r = Temoin({"install", "--host", TEMOIN_HOST_BIN});
  EXPECT_EQ(r.exit_code, cli::kExitProblemFound) << r.out << r.err;
  EXPECT_NE(r.out.find("refused: " + ChromiumManifest().string() + " belongs to another program"), std::string::npos)
      << r.out;
  EXPECT_EQ(ReadText(ChromiumManifest()), foreign);
  EXPECT_TRUE(fs::exists(FirefoxManifest()));  // the other browsers are still served

  CliRun u = Temoin({"uninstall"});
  EXPECT_EQ(u.exit_code, cli::kExitProblemFound);
  EXPECT_NE(u.out.find("is not Témoin's"), std::string::npos) << u.out;
  EXPECT_EQ(ReadText(ChromiumManifest()), foreign);
  EXPECT_FALSE(fs::exists(FirefoxManifest()));
}

TEST_F(InstallTest, ForeignWhenOnlyTheDescriptionDiffers) {
  json m = install::MakeManifest(install::Family::kChromium, TEMOIN_HOST_BIN, {});
  EXPECT_EQ(install::JudgeManifest(m.dump()), install::Ownership::kOurs);
  m["description"] = "Another host";
  EXPECT_EQ(install::JudgeManifest(m.dump()), install::Ownership::kForeign);
  m = install::MakeManifest(install::Family::kChromium, "/opt/x/other", {});
  EXPECT_EQ(install::JudgeManifest(m.dump()), install::Ownership::kForeign);
  EXPECT_EQ(install::JudgeManifest("{not json"), install::Ownership::kUnreadable);
}

TEST_F(InstallTest, ADamagedManifestOfOursIsRepaired) {
  WriteText(ChromiumManifest(), "{\"name\": \"org.temoin.host\", \"path\": \"/usr/bin/temoin-host\",");
  CliRun r = Temoin({"install", "--host", TEMOIN_HOST_BIN, "--browser", "chromium"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(ReadText(ChromiumManifest()))["name"], "org.temoin.host");
}

TEST_F(InstallTest, DryRunWritesNothingAndShowsTheContent) {
  auto before = Snapshot(tmp_.path());
  CliRun r = Temoin({"install", "--dry-run", "--host", TEMOIN_HOST_BIN, "--allow-extension", kStoreId});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("would write " + ChromiumManifest().string()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(Origin()), std::string::npos);
  EXPECT_NE(r.out.find("nothing was written"), std::string::npos);
  EXPECT_EQ(Snapshot(tmp_.path()), before);

  ASSERT_EQ(Temoin({"install", "--host", TEMOIN_HOST_BIN}).exit_code, 0);
  before = Snapshot(tmp_.path());
  EXPECT_EQ(Temoin({"uninstall", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(Snapshot(tmp_.path()), before);
}

TEST_F(InstallTest, ProfileWritesIntoTheUserDataDirOnly) {
  fs::path profile = tmp_.path() / "profile";
  CliRun r = Temoin({"install", "--host", TEMOIN_HOST_BIN, "--profile", profile.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  fs::path manifest = profile / "NativeMessagingHosts/org.temoin.host.json";
  EXPECT_EQ(json::parse(ReadText(manifest))["allowed_origins"], json::array({Origin()}));
  EXPECT_FALSE(fs::exists(ChromiumManifest()));
  EXPECT_FALSE(fs::exists(FirefoxManifest()));
  EXPECT_FALSE(fs::exists(home_ / ".config/systemd"));

  EXPECT_EQ(Temoin({"install", "--profile", profile.string(), "--browser", "firefox"}).exit_code, cli::kExitUsage);
  EXPECT_EQ(Temoin({"uninstall", "--profile", profile.string()}).exit_code, 0);
  EXPECT_FALSE(fs::exists(profile / "NativeMessagingHosts"));
  EXPECT_TRUE(fs::exists(profile));
}

TEST_F(InstallTest, AllowExtensionAddsStoreIdsToManifestsAndHostConfig) {
  CliRun r = Temoin({"install", "--host", TEMOIN_HOST_BIN, "--allow-extension", kStoreId, "--allow-extension",
                     "temoin-store@example.org"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(ReadText(ChromiumManifest()))["allowed_origins"],
            json::array({Origin(), "chrome-extension://" + kStoreId + "/"}));
  EXPECT_EQ(json::parse(ReadText(FirefoxManifest()))["allowed_extensions"],
            json::array({"temoin@temoin.org", "temoin-store@example.org"}));
  auto ids = install::ReadExtraIdsFromConfig(data_);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::string>{kStoreId, "temoin-store@example.org"}));
  struct stat st{};
  ASSERT_EQ(::stat((data_ / "host.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(data_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  // A later id is added to the ones recorded.
  ASSERT_EQ(Temoin({"install", "--host", TEMOIN_HOST_BIN, "--allow-extension", "{12345678-1234-1234-1234-123456789abc}"})
                .exit_code, 0);
  ids = install::ReadExtraIdsFromConfig(data_);
  EXPECT_EQ(ids->size(), 3u);

  CliRun bad = Temoin({"install", "--host", TEMOIN_HOST_BIN, "--allow-extension", "not an id"});
  EXPECT_EQ(bad.exit_code, cli::kExitUsage);
  EXPECT_NE(bad.err.find("is not an extension id"), std::string::npos) << bad.err;
}

TEST_F(InstallTest, NamedBrowsersAndErrors) {
  CliRun r = Temoin({"install", "--host", TEMOIN_HOST_BIN, "--browser", "brave", "--no-timer"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(fs::exists(home_ / ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts/org.temoin.host.json"));
  EXPECT_FALSE(fs::exists(ChromiumManifest()));
  EXPECT_FALSE(fs::exists(home_ / ".config/systemd"));

  EXPECT_EQ(Temoin({"install", "--browser", "netscape"}).exit_code, cli::kExitUsage);
  CliRun missing = Temoin({"install", "--host", (tmp_.path() / "nowhere/temoin-host").string()});
  EXPECT_EQ(missing.exit_code, cli::kExitUnavailable);
  EXPECT_NE(missing.err.find("--host"), std::string::npos);

  fs::remove_all(home_ / ".config");
  fs::remove_all(home_ / ".mozilla");
  CliRun none = Temoin({"install", "--host", TEMOIN_HOST_BIN});
  EXPECT_EQ(none.exit_code, cli::kExitProblemFound);
  EXPECT_NE(none.err.find("no browser found"), std::string::npos) << none.err;
}

TEST_F(InstallTest, UnderSudoAPerUserInstallIsForTheInvokingUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to hand files to another user";
  fs::path ana_home = tmp_.path() / "ana";
  fs::path root_home = tmp_.path() / "roothome";
  fs::create_directories(root_home);
  WriteText(ana_home / ".config/chromium/Local State", "{}");
  ::chown((ana_home).c_str(), 4242, 4242);
  ::chown((ana_home / ".config").c_str(), 4242, 4242);
  ::chown((ana_home / ".config/chromium").c_str(), 4242, 4242);

  FakeEnvironment env({{"HOME", root_home.string()}, {"SUDO_USER", "ana"}, {"XDG_CONFIG_HOME", (root_home / ".config").string()}});
  install::FakeUserDatabase users;
  users.Add({"ana", 4242, 4242, ana_home});
  auto user = install::ResolveTargetUser(env, users, 0, 0);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_TRUE(user->via_sudo);
  EXPECT_EQ(user->home, ana_home);
  auto data_dir = install::TargetDataDir(FakeEnvironment({{"HOME", root_home.string()}, {"SUDO_USER", "ana"}}), *user);
  ASSERT_TRUE(data_dir.ok());
  EXPECT_EQ(*data_dir, ana_home / ".local/share/temoin");

  install::TargetEnvironment target_env(env, *user);
  install::Request req = BaseRequest();
  req.browsers = {"chromium", "firefox"};
  req.data_dir = *data_dir;
  req.extra.chromium = {kStoreId};
  auto plan = install::PlanInstall(req, *user, target_env);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_TRUE(install::ApplyPlan(*plan, *user, install::Scope::kUser).ok());

  auto owner = [](const fs::path& p) {
    struct stat st{};
    return ::lstat(p.c_str(), &st) == 0 ? static_cast<long>(st.st_uid) : -1L;
  };
  for (const fs::path& p : {ana_home / ".config/chromium/NativeMessagingHosts",
                            ana_home / ".config/chromium/NativeMessagingHosts/org.temoin.host.json",
                            ana_home / ".mozilla", ana_home / ".mozilla/native-messaging-hosts",
                            ana_home / ".mozilla/native-messaging-hosts/org.temoin.host.json",
                            ana_home / ".config/systemd", ana_home / ".config/systemd/user/temoin-check.timer",
                            ana_home / ".local", ana_home / ".local/share/temoin", *data_dir / "host.json"}) {
    EXPECT_EQ(owner(p), 4242) << p;
  }
  // Root's HOME and XDG folders got nothing.
  EXPECT_TRUE(fs::is_empty(root_home));

  // Uninstall under sudo removes them again.
  auto un = install::PlanUninstall(req, *user, target_env);
  ASSERT_TRUE(un.ok());
  ASSERT_TRUE(install::ApplyPlan(*un, *user, install::Scope::kUser).ok());
  EXPECT_FALSE(fs::exists(ana_home / ".mozilla"));
  EXPECT_FALSE(fs::exists(ana_home / ".config/chromium/NativeMessagingHosts"));

  // sudo by root itself, or without SUDO_USER: the process's own HOME.
  auto self = install::ResolveTargetUser(FakeEnvironment({{"HOME", root_home.string()}}), users, 0, 0);
  ASSERT_TRUE(self.ok());
  EXPECT_FALSE(self->via_sudo);
  EXPECT_EQ(self->home, root_home);
  auto unknown = install::ResolveTargetUser(FakeEnvironment({{"HOME", "/root"}, {"SUDO_USER", "bob"}}), users, 0, 0);
  EXPECT_FALSE(unknown.ok());
}

TEST_F(InstallTest, SystemWideGoesToTheSystemFoldersOfInstalledBrowsers) {
  WriteText(sysroot_ / "usr/bin/chromium", "#!/bin/sh\n", 0755);
  WriteText(sysroot_ / "usr/bin/firefox-esr", "#!/bin/sh\n", 0755);
  install::Request req = BaseRequest();
  req.scope = install::Scope::kSystem;
  install::Plan plan = Install(req);
  EXPECT_TRUE(fs::exists(sysroot_ / "etc/chromium/native-messaging-hosts/org.temoin.host.json"));
  EXPECT_TRUE(fs::exists(sysroot_ / "usr/lib/mozilla/native-messaging-hosts/org.temoin.host.json"));
  EXPECT_FALSE(fs::exists(sysroot_ / "etc/opt/chrome"));  // Chrome is not installed
  EXPECT_FALSE(fs::exists(home_ / ".config/chromium/NativeMessagingHosts"));
  EXPECT_FALSE(fs::exists(home_ / ".config/systemd"));

  // --browser all: every system folder, shared ones once.
  req.browsers = {"all"};
  plan = Install(req);
  for (const char* dir : {"etc/opt/chrome", "etc/opt/edge", "etc/opt/vivaldi", "usr/lib/librewolf"}) {
    EXPECT_TRUE(fs::exists(sysroot_ / dir / "native-messaging-hosts/org.temoin.host.json")) << dir;
  }
  auto un = install::PlanUninstall(req, user_, Env());
  ASSERT_TRUE(un.ok());
  ASSERT_TRUE(install::ApplyPlan(*un, user_, install::Scope::kSystem).ok());
  EXPECT_FALSE(fs::exists(sysroot_ / "etc/opt/chrome/native-messaging-hosts"));
  EXPECT_FALSE(fs::exists(sysroot_ / "usr/lib/mozilla/native-messaging-hosts"));
}

TEST_F(InstallTest, FlatpakBrowsersGetAManifestInTheirSandboxAndAWrapper) {
  fs::path app = home_ / ".var/app/org.chromium.Chromium";
  WriteText(app / "config/chromium/Local State", "{}");
  auto before = Snapshot(tmp_.path());
  install::Request req = BaseRequest();
  req.browsers = {"chromium"};
  req.timer = false;  // uninstall --browser leaves the timer (it is not a browser's)
  install::Plan plan = Install(req);
  fs::path manifest = app / "config/chromium/NativeMessagingHosts/org.temoin.host.json";
  fs::path wrapper = app / "data/temoin/temoin-host-flatpak";
  ASSERT_TRUE(fs::exists(manifest));
  EXPECT_EQ(json::parse(ReadText(manifest))["path"], wrapper.string());
  std::string script = ReadText(wrapper);
  EXPECT_NE(script.find("flatpak-spawn --host"), std::string::npos);
  EXPECT_EQ(install::HostFromFlatpakWrapper(script), fs::path(TEMOIN_HOST_BIN));
  struct stat st{};
  ::stat(wrapper.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0755u);
  bool told = false;
  for (const auto& n : plan.notices) told |= n.find("flatpak override --user --talk-name=org.freedesktop.Flatpak org.chromium.Chromium") != std::string::npos;
  EXPECT_TRUE(told);

  auto un = install::PlanUninstall(req, user_, Env());
  ASSERT_TRUE(un.ok());
  ASSERT_TRUE(install::ApplyPlan(*un, user_, install::Scope::kUser).ok());
  EXPECT_EQ(Snapshot(tmp_.path()), before);
}

TEST_F(InstallTest, SnapBrowsersAreExplained) {
  WriteText(sysroot_ / "snap/bin/chromium", "", 0755);
  WriteText(sysroot_ / "snap/bin/firefox", "", 0755);
  install::Request req = BaseRequest();
  FakeEnvironment env = Env();
  auto plan = install::PlanInstall(req, user_, env);
  ASSERT_TRUE(plan.ok());
  std::string notes;
  for (const auto& n : plan->notices) notes += n + "\n";
  EXPECT_NE(notes.find("Chromium is a snap: its confinement forbids"), std::string::npos) << notes;
  EXPECT_NE(notes.find("flatpak permission-set webextensions org.temoin.host snap.firefox yes"), std::string::npos)
      << notes;
}

TEST_F(InstallTest, MacOsAndWindowsPlans) {
  WriteText(home_ / "Library/Application Support/Google/Chrome/Local State", "{}");
  install::Request req = BaseRequest();
  req.os = install::Os::kMacOs;
  FakeEnvironment env = Env();
  auto mac = install::PlanInstall(req, user_, env);
  ASSERT_TRUE(mac.ok()) << mac.status().ToString();
  ASSERT_EQ(mac->locations.size(), 1u);
  EXPECT_EQ(mac->locations[0].manifest,
            home_ / "Library/Application Support/Google/Chrome/NativeMessagingHosts/org.temoin.host.json");

  req.os = install::Os::kWindows;
  req.data_dir = tmp_.path() / "win";
  auto win = install::PlanInstall(req, user_, env);
  ASSERT_TRUE(win.ok());
  std::string text = install::DescribePlan(*win, true);
  for (const char* key : {"HKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\org.temoin.host",
                          "HKEY_CURRENT_USER\\Software\\Chromium\\NativeMessagingHosts\\org.temoin.host",
                          "HKEY_CURRENT_USER\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\org.temoin.host",
                          "HKEY_CURRENT_USER\\Software\\Mozilla\\NativeMessagingHosts\\org.temoin.host"}) {
    EXPECT_NE(text.find(key), std::string::npos) << key << "\n" << text;
  }
  req.scope = install::Scope::kSystem;
  auto machine = install::PlanInstall(req, user_, env);
  ASSERT_TRUE(machine.ok());
  EXPECT_NE(install::DescribePlan(*machine, true).find("HKEY_LOCAL_MACHINE\\Software\\Google\\Chrome"), std::string::npos);
  // This Linux build cannot write the registry, and says so.
  EXPECT_FALSE(install::ApplyPlan(*win, user_, install::Scope::kUser).ok());
}

TEST_F(InstallTest, TimerUnitsMatchTheTemplatesInInstall) {
  std::string service = ReadText(fs::path(TEMOIN_SOURCE_DIR) / "install/temoin-check.service.in");
  std::string timer = ReadText(fs::path(TEMOIN_SOURCE_DIR) / "install/temoin-check.timer");
  auto at = service.find("@TEMOIN_CLI@");
  ASSERT_NE(at, std::string::npos);
  service.replace(at, 12, "/usr/bin/temoin");
  EXPECT_EQ(service, install::CheckServiceUnit("/usr/bin/temoin"));
  EXPECT_EQ(timer, install::CheckTimerUnit());
}

TEST_F(InstallTest, ExtensionIdShapes) {
  EXPECT_TRUE(install::IsChromiumId(kStoreId));
  EXPECT_FALSE(install::IsChromiumId("abcdefghijklmnopabcdefghijklmnoq"));
  EXPECT_FALSE(install::IsChromiumId("abc"));
  EXPECT_TRUE(install::IsFirefoxId("temoin@temoin.org"));
  EXPECT_TRUE(install::IsFirefoxId("{12345678-1234-1234-1234-123456789abc}"));
  EXPECT_FALSE(install::IsFirefoxId("{1234}"));
  EXPECT_FALSE(install::IsFirefoxId("no-at-sign"));
  EXPECT_FALSE(install::IsFirefoxId("a@b@c"));
  auto both = install::ClassifyExtraIds({kStoreId, "x@y.org", kStoreId, protocol::ChromiumExtensionId()});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->chromium, std::vector<std::string>{kStoreId});
  EXPECT_EQ(both->firefox, std::vector<std::string>{"x@y.org"});
}

}  // namespace
}  // namespace temoin::testing
