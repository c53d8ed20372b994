// temoin doctor: healthy after an install, then each classic failure introduced alone and named by the right
// check, with a fix. The host is the built temoin-host, or a small script standing in for a broken one.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "install/doctor.h"
#include "install/process.h"
#include "integration/install_fixture.h"
#include "store/migrations.h"

namespace temoin::testing {
namespace {

using nlohmann::json;
using R = install::Check::Result;

class DoctorTest : public InstallFixture {
 protected:
  void SetUp() override {
    InstallFixture::SetUp();
    Install(BaseRequest());
  }

  install::DoctorReport Doctor(std::vector<std::string> browsers = {}) {
    install::DoctorOptions d;
    d.request = BaseRequest();
    d.request.browsers = std::move(browsers);
    d.user = user_;
    d.data_dir = data_;
    d.expected_schema = store::LatestSchemaVersion();
    d.child_env = install::EnvironmentWith({{"TEMOIN_DATA_DIR", data_.string()}, {"HOME", home_.string()}});
    return install::RunDoctor(d);
  }

  // A stand-in host: a shell script named temoin-host in its own folder.
  fs::path FakeHost(const std::string& name, const std::string& body, unsigned mode = 0755) {
    fs::path p = tmp_.path() / "fake" / name / "temoin-host";
    WriteText(p, "#!/bin/sh\n" + body, mode);
    return p;
  }

  // A script that answers any input with one frame holding `reply`, then waits for the end of its input.
  fs::path ReplyingHost(const std::string& name, const std::string& reply) {
    std::string len;
    for (int i = 0; i < 4; ++i) {
      char oct[8];
      std::snprintf(oct, sizeof oct, "\\%03o", static_cast<unsigned>((reply.size() >> (8 * i)) & 0xff));
      len += oct;
    }
    return FakeHost(name, "printf '" + len + "%s' '" + reply + "'\ncat >/dev/null\n");
  }

  void PointManifestsAt(const fs::path& host) {
    install::Request req = BaseRequest();
    req.host_path = host;
    Install(req);
  }

  void EditChromiumManifest(const std::function<void(json&)>& edit) {
    json m = json::parse(ReadText(ChromiumManifest()));
    edit(m);
    WriteText(ChromiumManifest(), m.dump(2));
  }
};

std::string Dump(const install::DoctorReport& r) { return r.ToText(); }

// The first failure of the report: it must be `id` for a subject containing `subject`, and every check of
// that subject before it must have passed.
void ExpectFirstFailure(const install::DoctorReport& report, const std::string& subject, const std::string& id,
                        const std::string& says = "") {
  EXPECT_FALSE(report.Healthy()) << Dump(report);
  const install::Check* first = nullptr;
  for (const auto& c : report.checks) {
    if (c.result == R::kFail) {
      first = &c;
      break;
    }
  }
  ASSERT_NE(first, nullptr) << Dump(report);
  EXPECT_NE(first->subject.find(subject), std::string::npos) << Dump(report);
  EXPECT_EQ(first->id, id) << Dump(report);
  EXPECT_FALSE(first->fix.empty()) << Dump(report);
  if (!says.empty()) {
    EXPECT_NE((first->summary + " " + first->fix).find(says), std::string::npos) << Dump(report);
  }
}

TEST_F(DoctorTest, HealthyAfterInstall) {
  auto report = Doctor();
  EXPECT_TRUE(report.Healthy()) << Dump(report);
  std::vector<std::string> subjects;
  for (const auto& c : report.checks) {
    if (c.id == "schema_current") subjects.push_back(c.subject);
  }
  EXPECT_EQ(subjects, (std::vector<std::string>{"Chromium", "Firefox"})) << Dump(report);
  EXPECT_NE(Dump(report).find("All is well"), std::string::npos);
  json j = report.ToJson();
  EXPECT_EQ(j["healthy"], true);
  EXPECT_GE(j["checks"].size(), 15u);
}

TEST_F(DoctorTest, ManifestMissing) {
  fs::remove(ChromiumManifest());
  ExpectFirstFailure(Doctor(), "Chromium", "manifest_present", "Specified native messaging host not found");
}

TEST_F(DoctorTest, SystemManifestIsFoundWhenThereIsNoUserOne) {
  fs::remove(ChromiumManifest());
  WriteText(sysroot_ / "etc/chromium/native-messaging-hosts/org.temoin.host.json",
            install::ManifestText(install::MakeManifest(install::Family::kChromium, TEMOIN_HOST_BIN, {})));
  auto report = Doctor();
  EXPECT_TRUE(report.Healthy()) << Dump(report);
  EXPECT_NE(Dump(report).find("(system-wide)"), std::string::npos);
}

TEST_F(DoctorTest, ManifestNotJson) {
  WriteText(ChromiumManifest(), "{\"name\": \"org.temoin.host\",");
  ExpectFirstFailure(Doctor(), "Chromium", "manifest_json", "not a valid JSON");
}

TEST_F(DoctorTest, ManifestTypeNotStdio) {
  EditChromiumManifest([](json& m) { m["type"] = "pipe"; });
  ExpectFirstFailure(Doctor(), "Chromium", "manifest_json", "stdio");
}

TEST_F(DoctorTest, NameMismatch) {
  EditChromiumManifest([](json& m) { m["name"] = "org.temoin.hots"; });
  ExpectFirstFailure(Doctor(), "Chromium", "manifest_name", "org.temoin.hots");
}

TEST_F(DoctorTest, AnotherProgramUnderOurName) {
  EditChromiumManifest([](json& m) {
    m["path"] = "/usr/bin/other-host";
    m["description"] = "Other";
  });
  ExpectFirstFailure(Doctor(), "Chromium", "manifest_name", "another program");
}

TEST_F(DoctorTest, RelativePath) {
  EditChromiumManifest([](json& m) { m["path"] = "bin/temoin-host"; });
  ExpectFirstFailure(Doctor(), "Chromium", "host_path", "not absolute");
}

TEST_F(DoctorTest, HostMissing) {
  EditChromiumManifest([&](json& m) { m["path"] = (tmp_.path() / "gone/temoin-host").string(); });
  ExpectFirstFailure(Doctor(), "Chromium", "host_path", "does not exist");
}

TEST_F(DoctorTest, HostNotExecutable) {
  PointManifestsAt(FakeHost("noexec", "exit 0\n", 0644));
  ExpectFirstFailure(Doctor(), "Chromium", "host_path", "chmod +x");
}

TEST_F(DoctorTest, ExtensionIdNotAllowed) {
  EditChromiumManifest([](json& m) { m["allowed_origins"] = {"chrome-extension://abcdefghijklmnopabcdefghijklmnop/"}; });
  ExpectFirstFailure(Doctor(), "Chromium", "allowed_ids", "forbidden");
}

TEST_F(DoctorTest, OriginWithoutTrailingSlash) {
  EditChromiumManifest([](json& m) {
    std::string origin = m["allowed_origins"][0];
    m["allowed_origins"] = {origin.substr(0, origin.size() - 1)};
  });
  ExpectFirstFailure(Doctor(), "Chromium", "allowed_ids", "without the final \"/\"");
}

TEST_F(DoctorTest, FirefoxIdNotAllowed) {
  json m = json::parse(ReadText(FirefoxManifest()));
  m["allowed_extensions"] = {"someone@else.org"};
  WriteText(FirefoxManifest(), m.dump());
  ExpectFirstFailure(Doctor(), "Firefox", "allowed_ids", "temoin@temoin.org");
}

TEST_F(DoctorTest, HostCrashesAtStart) {
  PointManifestsAt(FakeHost("crash", "echo 'cannot open the database' >&2\nexit 3\n"));
  ExpectFirstFailure(Doctor(), "Chromium", "host_answers", "cannot open the database");
  auto report = Doctor();
  for (const auto& c : report.checks) {
    if (c.id == "host_answers") {
      EXPECT_NE(c.summary.find("status 3"), std::string::npos) << c.summary;
      break;
    }
  }
}

TEST_F(DoctorTest, StdoutPolluted) {
  PointManifestsAt(FakeHost("chatty", "echo 'Hello from a login script'\ncat >/dev/null\n"));
  ExpectFirstFailure(Doctor(), "Chromium", "host_answers", "Error when communicating");
}

TEST_F(DoctorTest, HostNeverAnswers) {
  PointManifestsAt(FakeHost("mute", "sleep 10\n"));
  auto start = std::chrono::steady_clock::now();
  auto report = Doctor({"chromium"});
  auto took = std::chrono::steady_clock::now() - start;
  ExpectFirstFailure(report, "Chromium", "host_answers", "did not answer a ping within 1000 ms");
  EXPECT_LT(took, std::chrono::milliseconds(2500));  // killed, not waited for
}

TEST_F(DoctorTest, HostRefusesTheCaller) {
  PointManifestsAt(ReplyingHost(
      "forbidden", R"({"v":1,"re":"temoin-doctor","ok":false,"error":{"code":"forbidden","message":"not allowed"}})"));
  ExpectFirstFailure(Doctor(), "Chromium", "host_answers", "forbidden");
}

TEST_F(DoctorTest, SchemaNotCurrent) {
  PointManifestsAt(ReplyingHost("old", R"({"v":1,"re":"temoin-doctor","ok":true,"version":"0.0.1","schema":999})"));
  ExpectFirstFailure(Doctor(), "Chromium", "schema_current", "schema 999");
}

TEST_F(DoctorTest, DataFolderOpenToOthers) {
  // A profile with no manifest: no host is started (it could repair the modes), the data folder is checked.
  install::DoctorOptions d;
  d.request = BaseRequest();
  d.request.profile_dir = tmp_.path() / "no-such-profile";
  d.user = user_;
  d.data_dir = data_;
  auto data_check = [&] {
    for (const auto& c : install::RunDoctor(d).checks) {
      if (c.id == "data_folder") return c;
    }
    return install::Check{};
  };
  EXPECT_EQ(data_check().result, R::kWarn);  // not created yet

  fs::create_directories(data_);
  ::chmod(data_.c_str(), 0755);
  install::Check c = data_check();
  EXPECT_EQ(c.result, R::kFail) << c.summary;
  EXPECT_NE(c.summary.find("open to other users (mode 0755)"), std::string::npos) << c.summary;
  EXPECT_NE(c.fix.find("chmod 700"), std::string::npos);

  ::chmod(data_.c_str(), 0700);
  EXPECT_EQ(data_check().result, R::kOk);
  WriteText(data_ / "temoin.db", "x", 0644);
  c = data_check();
  EXPECT_EQ(c.result, R::kFail) << c.summary;
  EXPECT_NE(c.fix.find("chmod 600"), std::string::npos);
}

TEST_F(DoctorTest, FlatpakNeedsItsPermission) {
  fs::path app = home_ / ".var/app/org.mozilla.firefox";
  WriteText(app / ".mozilla/firefox/profiles.ini", "[General]\n");
  Install(BaseRequest());
  ExpectFirstFailure(Doctor(), "Flatpak org.mozilla.firefox", "flatpak_permission",
                     "flatpak override --user --talk-name=org.freedesktop.Flatpak org.mozilla.firefox");
  WriteText(home_ / ".local/share/flatpak/overrides/org.mozilla.firefox",
            "[Session Bus Policy]\norg.freedesktop.Flatpak=talk\n");
  auto report = Doctor();
  EXPECT_TRUE(report.Healthy()) << Dump(report);
}

TEST_F(DoctorTest, SnapChromiumCannotWork) {
  WriteText(sysroot_ / "snap/bin/chromium", "", 0755);
  ExpectFirstFailure(Doctor(), "Chromium (snap)", "snap", "cannot start native programs");
}

TEST_F(DoctorTest, NoBrowserFound) {
  fs::remove_all(home_ / ".config");
  fs::remove_all(home_ / ".mozilla");
  ExpectFirstFailure(Doctor(), "browsers", "browser_found");
}

// The CLI end to end, in-process: install into a --profile, doctor it (with the log checks of the store), JSON.
TEST_F(DoctorTest, CliDoctorOnAProfileWithJson) {
  fs::path profile = tmp_.path() / "profile";
  ASSERT_EQ(Temoin({"install", "--host", TEMOIN_HOST_BIN, "--profile", profile.string()}).exit_code, 0);
  CliRun r = Temoin({"doctor", "--profile", profile.string(), "--json"});
  json j = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out << r.err;
  EXPECT_EQ(r.exit_code, 0) << j.dump(2);
  EXPECT_EQ(j["healthy"], true) << j.dump(2);
  std::set<std::string> ids;
  for (const auto& c : j["checks"]) ids.insert(c["check"].get<std::string>());
  for (const char* id : {"manifest_present", "manifest_json", "manifest_name", "host_path", "allowed_ids",
                         "host_answers", "schema_current", "data_folder", "log_chain", "last_event"}) {
    EXPECT_TRUE(ids.count(id)) << id << "\n" << j.dump(2);
  }

  fs::remove(profile / "NativeMessagingHosts/org.temoin.host.json");
  CliRun broken = Temoin({"doctor", "--profile", profile.string()});
  EXPECT_EQ(broken.exit_code, cli::kExitProblemFound);
  EXPECT_NE(broken.out.find("FAIL  manifest_present"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("fix: run: temoin install --profile"), std::string::npos) << broken.out;
}

}  // namespace
}  // namespace temoin::testing
