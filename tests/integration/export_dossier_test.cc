// The dossier end to end with the built binaries: events sent to the real temoin-host, `temoin export` writing
// the files, `temoin verify --file` accepting them and catching a tampered line (exit 1, naming the line and
// seq), and the `export` message writing into the Downloads folder of the host's HOME.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "test_support/host_process.h"
#include "test_support/temp_dir.h"

namespace temoin::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ExportDossierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto host = StartHost(data_.path());
    ASSERT_NE(host, nullptr);
    std::vector<json> events{
        MakeEvent("account.status", "x01", {{"at", "2026-07-01T08:00:00+02:00"}}),
        MakeEvent("task.start", "x02", {{"at", "2026-07-01T09:00:00+02:00"}, {"project", "<script>alert(1)</script>"},
                                        {"title", "=cmd|' /C calc'!A0"}}),
        MakeEvent("task.submit", "x03", {{"at", "2026-07-01T09:30:00+02:00"}, {"duration_s", 1800},
                                         {"earned", {{"amount", "15.00"}, {"currency", "USD"}}}}),
        MakeEvent("balance", "x04", {{"at", "2026-07-01T18:00:00+02:00"}, {"amount", "115.00"}}),
        MakeEvent("payout", "x05", {{"at", "2026-07-02T12:00:00+02:00"}, {"amount", "100.00"}, {"reference", "P1"}}),
        MakeEvent("balance", "x06", {{"at", "2026-07-02T12:05:00+02:00"}, {"amount", "15.00"}}),
        MakeEvent("account.status", "x07", {{"at", "2026-07-03T08:00:00+02:00"}, {"state", "locked"},
                                            {"detail", "Under review \u202Etxt.exe"}}),
    };
    for (const auto& e : events) {
      auto reply = host->Call(e);
      ASSERT_TRUE(reply.ok()) << reply.status().ToString();
      ASSERT_TRUE((*reply)["ok"].get<bool>()) << reply->dump();
    }
    auto exit_status = host->Finish();
    ASSERT_TRUE(exit_status.ok());
  }

  TempDir data_;
};

TEST_F(ExportDossierTest, ExportThenVerifyTheFile) {
  fs::path out = data_.path() / "dossier";
  auto exported = RunTemoin(data_.path(), {"export", "--account", "dataannotation/ana@example.org", "--out",
                                           out.string(), "--lang", "fr"});
  ASSERT_EQ(exported.exit_status, 0) << exported.out;
  for (const char* name : {"dossier.html", "tasks.csv", "balances.csv", "payouts.csv", "events.jsonl"}) {
    EXPECT_TRUE(fs::exists(out / name)) << name;
  }
  std::string html = Slurp(out / "dossier.html");
  EXPECT_NE(html.find("lang=\"fr\""), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("data-total=\"tasks\">1<"), std::string::npos);

  auto verified = RunTemoin(data_.path(), {"verify", "--file", (out / "events.jsonl").string()});
  EXPECT_EQ(verified.exit_status, 0) << verified.out;
  // The file holds the 7 events sent and the host's own alert events of the same chain (an alert raised on
  // the lock, and the unpaid balance's raised and resolved): verify counts every line.
  std::string jsonl = Slurp(out / "events.jsonl");
  std::size_t count = static_cast<std::size_t>(std::count(jsonl.begin(), jsonl.end(), '\n'));
  EXPECT_GE(count, 7u);
  const std::string total = std::to_string(count);
  EXPECT_NE(verified.out.find(total + " events of one chain, seq 1 to " + total + ":"), std::string::npos)
      << count << " lines; " << verified.out;
  EXPECT_NE(verified.out.find("all links verified"), std::string::npos) << verified.out;

  // The head hash the dossier states is the one verify reports.
  auto head = html.find("data-field=\"head_hash\">");
  ASSERT_NE(head, std::string::npos);
  std::string head_hash = html.substr(head + 23, 64);
  EXPECT_NE(verified.out.find("head " + head_hash), std::string::npos) << verified.out;

  // Tamper with the payout (line 5): the amount goes up.
  std::istringstream lines(Slurp(out / "events.jsonl"));
  std::string line, tampered;
  int n = 0;
  while (std::getline(lines, line)) {
    if (++n == 5) {
      auto row = json::parse(line);
      row["event"]["amount"] = "10.00";
      line = row.dump();
    }
    tampered += line + "\n";
  }
  std::ofstream(data_.path() / "tampered.jsonl", std::ios::binary) << tampered;
  auto caught = RunTemoin(data_.path(), {"verify", "--file", (data_.path() / "tampered.jsonl").string()});
  EXPECT_EQ(caught.exit_status, 1) << caught.out;
  EXPECT_NE(caught.out.find("BROKEN at line 5 (seq 5)"), std::string::npos) << caught.out;

  auto as_json = RunTemoin(data_.path(), {"verify", "--json", "--file", (data_.path() / "tampered.jsonl").string()});
  EXPECT_EQ(as_json.exit_status, 1);
  auto report = json::parse(as_json.out);
  EXPECT_FALSE(report["ok"].get<bool>());
  EXPECT_EQ(report["broken"][0]["line"], 5);
  EXPECT_EQ(report["broken"][0]["seq"], 5);

  // The same folder again: refused without --force, replaced with it.
  auto again = RunTemoin(data_.path(), {"export", "--account", "dataannotation/ana@example.org", "--out", out.string()});
  EXPECT_NE(again.exit_status, 0);
  auto forced = RunTemoin(data_.path(),
                          {"export", "--account", "dataannotation/ana@example.org", "--out", out.string(), "--force"});
  EXPECT_EQ(forced.exit_status, 0) << forced.out;
}

TEST_F(ExportDossierTest, ByHandRecipeMatches) {
  if (!fs::exists("/usr/bin/jq") || !fs::exists("/usr/bin/sha256sum")) GTEST_SKIP() << "jq or sha256sum missing";
  fs::path out = data_.path() / "dossier";
  ASSERT_EQ(RunTemoin(data_.path(), {"export", "--account", "dataannotation/ana@example.org", "--out", out.string()})
                .exit_status,
            0);
  // The recipe of the dossier and docs/export.md, run by a shell as a reader would.
  std::string script =
      "cd '" + out.string() + "' && for n in 1 4 7; do line=$(sed -n ${n}p events.jsonl); "
      "got=$({ printf '%s' \"$line\" | jq -j .prev_hash; printf '%s' \"$line\" | jq -cSj '{event, received_at, seq}'; }"
      " | sha256sum | cut -d' ' -f1); want=$(printf '%s' \"$line\" | jq -r .hash); "
      "[ \"$got\" = \"$want\" ] || exit 1; done";
  auto shell = Subprocess::Spawn({"/bin/sh", "-c", script}, {}, true);
  ASSERT_TRUE(shell.ok());
  (*shell)->CloseStdin();
  auto status = (*shell)->Wait(std::chrono::seconds(30));
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(*status, 0);
}

TEST_F(ExportDossierTest, PeriodOptions) {
  fs::path out = data_.path() / "slice";
  auto exported = RunTemoin(data_.path(), {"export", "--account", "dataannotation/ana@example.org", "--since",
                                           "2026-07-02", "--until", "2026-07-02", "--out", out.string()});
  ASSERT_EQ(exported.exit_status, 0) << exported.out;
  EXPECT_NE(exported.out.find("slice"), std::string::npos) << exported.out;
  auto verified = RunTemoin(data_.path(), {"verify", "--file", (out / "events.jsonl").string()});
  EXPECT_EQ(verified.exit_status, 0) << verified.out;
  // The payout and the balance of the 2nd, and whatever alert events the rules recorded between them.
  EXPECT_NE(verified.out.find("all links verified"), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find("after the stated link"), std::string::npos) << verified.out;

  EXPECT_EQ(RunTemoin(data_.path(), {"export", "--account", "dataannotation/ana@example.org", "--since", "2026-07-03",
                                     "--until", "2026-07-01", "--out", out.string()})
                .exit_status,
            64);
  EXPECT_EQ(RunTemoin(data_.path(), {"export", "--account", "no-slash", "--out", out.string()}).exit_status, 64);
  EXPECT_EQ(RunTemoin(data_.path(), {"export", "--account", "dataannotation/ana@example.org", "--lang", "de", "--out",
                                     out.string()})
                .exit_status,
            64);
}

TEST_F(ExportDossierTest, ExportMessageWritesIntoDownloads) {
  auto host = StartHost(data_.path());
  ASSERT_NE(host, nullptr);
  auto reply = host->Call({{"v", 1}, {"type", "export"}, {"id", "ex-1"}, {"platform", "dataannotation"},
                           {"account", "ana@example.org"}, {"lang", "en"}});
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_TRUE((*reply)["ok"].get<bool>()) << reply->dump();
  fs::path path = (*reply)["path"].get<std::string>();
  EXPECT_EQ(path.parent_path(), data_.path() / "home" / "Downloads");
  EXPECT_EQ(path.filename().string().rfind("temoin-dataannotation-ana@example.org-", 0), 0u) << path;
  ASSERT_EQ((*reply)["files"].size(), 5u);
  for (const auto& name : (*reply)["files"]) EXPECT_TRUE(fs::exists(path / name.get<std::string>()));
  auto verified = RunTemoin(data_.path(), {"verify", "--file", (path / "events.jsonl").string()});
  EXPECT_EQ(verified.exit_status, 0) << verified.out;

  auto unknown = host->Call({{"v", 1}, {"type", "export"}, {"id", "ex-2"}, {"platform", "dataannotation"},
                             {"account", "nobody"}});
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE((*unknown)["ok"].get<bool>());
  EXPECT_EQ((*unknown)["error"]["field"], "account");
  ASSERT_TRUE(host->Finish().ok());
}

}  // namespace
}  // namespace temoin::testing
