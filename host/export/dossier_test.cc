// The dossier on a fixed data set: golden files of every format (tests/fixtures/export/), determinism, the
// slice of the chain a period gives, and hostile page text through every field of every format.
// Regenerate the golden files after an intended change with TEMOIN_UPDATE_GOLDEN=1 and review the diff.
#include "export/dossier.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

#include <SQLiteCpp/Statement.h>

#include "export/chain_file.h"
#include "export/escape.h"
#include "export/export_test_util.h"
#include "protocol/extension_identity.h"
#include "store/event_log.h"
#include "test_support/temp_dir.h"

namespace temoin::exporter {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::At;
using testing::Put;
using testing::ReadFile;

constexpr EpochMs kReceived = 1'783'000'000'000;  // 2026-07-02T..., the host's receive times start here


// A fortnight of work on one account, with a second account that must not leak into the first's dossier.
void FillFixture(store::Database& db) {
  EpochMs r = kReceived;
  auto put = [&](json m) { Put(db, std::move(m), r += 1000); };
  put({{"type", "account.status"}, {"id", "e01"}, {"at", "2026-07-01T08:55:00+02:00"}, {"state", "active"}});
  put({{"type", "heartbeat"}, {"id", "e02"}, {"at", "2026-07-01T08:58:00+02:00"}, {"tasks_available", 12}});
  put({{"type", "task.start"}, {"id", "e03"}, {"at", "2026-07-01T09:00:00+02:00"}, {"task_id", "t-1"},
       {"project", "Alpha, rating"}, {"title", "Rate two chatbot answers"}, {"url", "https://example.com/t/1"},
       {"rate", {{"amount", "30.00"}, {"currency", "USD"}, {"per", "hour"}}}});
  put({{"type", "task.submit"}, {"id", "e04"}, {"at", "2026-07-01T09:30:00+02:00"}, {"task_id", "t-1"},
       {"duration_s", 1800}, {"earned", {{"amount", "15.00"}, {"currency", "USD"}}}});
  put({{"type", "task.start"}, {"id", "e05"}, {"at", "2026-07-01T10:00:00+02:00"}, {"task_id", "t-2"},
       {"project", "Beta"}, {"title", "Write a \"hard\" prompt"},
       {"rate", {{"amount", "40.00"}, {"currency", "USD"}, {"per", "hour"}}}});
  put({{"type", "task.submit"}, {"id", "e06"}, {"at", "2026-07-01T10:45:00+02:00"}, {"task_id", "t-2"}});
  put({{"type", "task.start"}, {"id", "e07"}, {"at", "2026-07-01T11:00:00+02:00"}, {"task_id", "t-3"},
       {"project", "Beta"}});
  put({{"type", "task.abandon"}, {"id", "e08"}, {"at", "2026-07-01T11:10:00+02:00"}, {"task_id", "t-3"}});
  put({{"type", "balance"}, {"id", "e09"}, {"at", "2026-07-01T18:00:00+02:00"}, {"amount", "100.00"},
       {"currency", "USD"}, {"pending", "5.00"}});
  put({{"type", "task.start"}, {"id", "e10"}, {"at", "2026-07-02T09:00:00+02:00"}, {"task_id", "t-4"},
       {"project", "Gamma"}, {"rate", {{"amount", "2.50"}, {"currency", "USD"}, {"per", "task"}}}});
  put({{"type", "task.submit"}, {"id", "e11"}, {"at", "2026-07-02T09:12:00+02:00"}, {"task_id", "t-4"}});
  put({{"type", "balance"}, {"id", "e12"}, {"at", "2026-07-02T18:00:00+02:00"}, {"amount", "142.50"},
       {"currency", "USD"}});
  put({{"type", "payout"}, {"id", "e13"}, {"at", "2026-07-03T12:00:00+02:00"}, {"amount", "100.00"},
       {"currency", "USD"}, {"method", "paypal"}, {"reference", "PP-0001"}});
  put({{"type", "balance"}, {"id", "e14"}, {"at", "2026-07-03T12:05:00+02:00"}, {"amount", "42.50"},
       {"currency", "USD"}});
  put({{"type", "heartbeat"}, {"id", "e15"}, {"at", "2026-07-05T09:00:00+02:00"}});
  put({{"type", "balance.missing"}, {"id", "e16"}, {"at", "2026-07-10T09:00:00+02:00"}, {"currency", "USD"},
       {"detail", "The balance panel is empty"}});
  put({{"type", "account.status"}, {"id", "e17"}, {"at", "2026-07-10T09:01:00+02:00"}, {"state", "locked"},
       {"detail", "Your account is under review"}});
  put({{"type", "account.status"}, {"id", "e18"}, {"at", "2026-07-10T09:30:00+02:00"}, {"state", "locked"},
       {"detail", "Your account is under review"}});
  // Arrived late: seen on the 4th, sent on the 11th.
  put({{"type", "task.start"}, {"id", "e19"}, {"at", "2026-07-04T09:00:00+02:00"}, {"task_id", "t-5"},
       {"project", "Gamma"}});
  put({{"type", "task.submit"}, {"id", "e20"}, {"at", "2026-07-04T09:20:00+02:00"}, {"task_id", "t-5"},
       {"earned", {{"amount", "3.00"}, {"currency", "USD"}}}});
  put({{"type", "balance"}, {"id", "o01"}, {"at", "2026-07-02T10:00:00+01:00"}, {"platform", "prolific"},
       {"account", "ana-p"}, {"amount", "8.00"}, {"currency", "GBP"}});
  // An alert as the rules engine (issue 3) records it in the derived table.
  db.sql().exec(
      "INSERT INTO alerts (kind, severity, platform, account, currency, episode, raised_ms, raised_at, message, "
      "evidence, state) VALUES ('balance_vanished', 'critical', 'dataannotation', 'ana@example.org', 'USD', 'e1', " +
      std::to_string(At("2026-07-10T07:00:00Z")) +
      ", '2026-07-10T07:00:00.000Z', 'The balance of 42.50 USD is no longer shown', '[14,16]', 'open')");
}

struct Exported {
  temoin::testing::TempDir dir;
  Result<DossierResult> result = Status(Code::kInternal, "not run");
  std::string file(const char* name) const { return ReadFile(dir.path() / name); }
};

std::unique_ptr<Exported> Export(store::Database& db, DossierOptions options, EpochMs now = At("2026-07-14T08:00:00Z")) {
  FakeClock clock(now, 2 * 3600);
  auto out = std::make_unique<Exported>();
  if (options.platform.empty()) options.platform = "dataannotation";
  if (options.account.empty()) options.account = "ana@example.org";
  out->result = WriteDossier(db, clock, options, out->dir.path());
  return out;
}

fs::path GoldenDir(const std::string& name) { return fs::path(TEMOIN_SOURCE_DIR) / "tests/fixtures/export" / name; }

void CheckGolden(const Exported& exported, const std::string& set) {
  bool update = std::getenv("TEMOIN_UPDATE_GOLDEN") != nullptr;
  for (const char* name : kDossierFiles) {
    fs::path golden = GoldenDir(set) / name;
    std::string actual = exported.file(name);
    // The footer names the host's version: kept out of the golden files so that a release does not break them.
    std::string version = "Témoin " + std::string(protocol::HostVersion()) + ".";
    for (auto at = actual.find(version); at != std::string::npos; at = actual.find(version, at)) {
      actual.replace(at, version.size(), "Témoin VERSION.");
    }
    if (update) {
      fs::create_directories(golden.parent_path());
      testing::WriteFile(golden, actual);
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; run with TEMOIN_UPDATE_GOLDEN=1";
    EXPECT_EQ(actual, ReadFile(golden)) << name << " differs from " << golden
                                        << " (if the change is intended: TEMOIN_UPDATE_GOLDEN=1, then review the diff)";
  }
}

TEST(DossierTest, GoldenFilesEnglishWholeRecord) {
  auto db = testing::OpenDatabase();
  FillFixture(*db);
  auto out = Export(*db, {});
  ASSERT_TRUE(out->result.ok()) << out->result.status().ToString();
  CheckGolden(*out, "whole-en");
}

TEST(DossierTest, GoldenFilesFrenchSlice) {
  auto db = testing::OpenDatabase();
  FillFixture(*db);
  DossierOptions options;
  options.lang = "fr";
  options.period.since = At("2026-07-02T00:00:00+02:00");
  options.period.until = At("2026-07-04T00:00:00+02:00");
  auto out = Export(*db, options);
  ASSERT_TRUE(out->result.ok()) << out->result.status().ToString();
  CheckGolden(*out, "slice-fr");
}

TEST(DossierTest, TotalsOfTheFixture) {
  auto db = testing::OpenDatabase();
  FillFixture(*db);
  auto out = Export(*db, {});
  ASSERT_TRUE(out->result.ok());
  std::string html = out->file("dossier.html");
  auto total = [&](const std::string& key) {
    std::smatch m;
    std::regex re("data-total=\"" + key + "\">([^<]*)");
    return std::regex_search(html, m, re) ? m[1].str() : std::string("(none)");
  };
  EXPECT_EQ(total("tasks"), "4");  // t-1, t-2, t-4, t-5; t-3 was abandoned
  EXPECT_EQ(total("tasks_abandoned"), "1");
  // 30 min + 45 min + 12 min + 20 min.
  EXPECT_EQ(total("task_hours"), "1\u00A0h\u00A047\u00A0min");
  // t-1 15.00 + t-2 40.00/h × 45 min = 30.00 (estimated) + t-4 2.50 (estimated) + t-5 3.00.
  EXPECT_EQ(total("earned.USD"), "50.50\u00A0USD ");
  EXPECT_NE(html.find("32.50\u00A0USD"), std::string::npos);  // the estimated part
  EXPECT_EQ(total("paid_out.USD"), "100.00\u00A0USD ");
  EXPECT_EQ(total("balance.USD"), "42.50\u00A0USD ");
  EXPECT_EQ(total("balance_missing"), "1");
  EXPECT_EQ(html.find("prolific"), std::string::npos) << "another account leaked into the dossier";
  EXPECT_NE(html.find("balance_vanished"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  // Status changes: active, then locked once (the second identical report is not a change).
  EXPECT_NE(html.find("Your account is under review"), std::string::npos);
  EXPECT_EQ(html.find("Your account is under review"), html.rfind("Your account is under review"));
  // Self-contained: nothing is fetched.
  for (const char* external : {"src=", "href=", "@import", "url(", "<script", "<link"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
  EXPECT_EQ(out->result->tasks, 5);
  EXPECT_EQ(out->result->chain.events, 20);
  EXPECT_EQ(out->result->chain.start_hash, store::kGenesisHash);
}

TEST(DossierTest, DeterministicButForTheGenerationLine) {
  auto db = testing::OpenDatabase();
  FillFixture(*db);
  auto a = Export(*db, {}, At("2026-07-14T08:00:00Z"));
  auto b = Export(*db, {}, At("2026-08-01T17:45:12Z"));
  ASSERT_TRUE(a->result.ok() && b->result.ok());
  for (const char* name : {"tasks.csv", "balances.csv", "payouts.csv", "events.jsonl"}) {
    EXPECT_EQ(a->file(name), b->file(name)) << name;
  }
  std::istringstream la(a->file("dossier.html")), lb(b->file("dossier.html"));
  std::string x, y;
  int differing = 0;
  while (std::getline(la, x) && std::getline(lb, y)) {
    if (x != y) {
      ++differing;
      EXPECT_NE(x.find("data-field=\"generated\""), std::string::npos) << x;
    }
  }
  EXPECT_EQ(differing, 1);
}

TEST(DossierTest, PeriodSliceStartsFromAStatedLink) {
  auto db = testing::OpenDatabase();
  FillFixture(*db);
  DossierOptions options;
  options.period.since = At("2026-07-02T00:00:00+02:00");
  options.period.until = At("2026-07-04T00:00:00+02:00");
  auto out = Export(*db, options);
  ASSERT_TRUE(out->result.ok());
  const ChainSlice& c = out->result->chain;
  // In the period: e10..e14 (seq 10-14). The run is contiguous; nothing outside it in between.
  EXPECT_EQ(c.first_seq, 10);
  EXPECT_EQ(c.last_seq, 14);
  EXPECT_EQ(c.start_after_seq, 9);
  EXPECT_EQ(c.outside_period, 0);
  store::EventLog log(*db);
  auto nine = log.Read({std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 8, 1});
  ASSERT_TRUE(nine.ok());
  EXPECT_EQ(c.start_hash, nine->front().hash);
  std::string jsonl = out->file("events.jsonl");
  EXPECT_EQ(json::parse(jsonl.substr(0, jsonl.find('\n')))["prev_hash"], c.start_hash);
  std::string html = out->file("dossier.html");
  EXPECT_NE(html.find("data-field=\"start_hash\">" + c.start_hash), std::string::npos);
  EXPECT_NE(html.find("data-field=\"chain_head_hash\""), std::string::npos);
  std::istringstream in(jsonl);
  auto report = VerifyChainFile(in);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_FALSE(report->from_genesis);
  EXPECT_EQ(report->head_hash, c.head_hash);
  // Tasks by the day they count: t-4 only.
  auto rows = testing::ParseCsv(out->file("tasks.csv"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], "t-4");
}

TEST(DossierTest, LateEventsInsideTheRunAreCounted) {
  auto db = testing::OpenDatabase();
  FillFixture(*db);
  DossierOptions options;
  options.period.since = At("2026-07-04T00:00:00+02:00");
  auto out = Export(*db, options);
  ASSERT_TRUE(out->result.ok());
  // From e15 (07-05) to e20 (seen 07-04, sent late): all of seq 15..20 are in the period.
  EXPECT_EQ(out->result->chain.first_seq, 15);
  EXPECT_EQ(out->result->chain.last_seq, 20);
  DossierOptions until;
  until.period.until = At("2026-07-05T00:00:00+02:00");
  auto cut = Export(*db, until);
  ASSERT_TRUE(cut->result.ok());
  // e1..e14 and the late e19, e20: the run is 1..20 and e15..e18 are outside the period.
  EXPECT_EQ(cut->result->chain.last_seq, 20);
  EXPECT_EQ(cut->result->chain.outside_period, 4);
}

TEST(DossierTest, TasksOfTheSameMillisecondComeInTaskIdOrder) {
  // SQLite gives the tasks in time order; ties are ordered by task id in the export's own code, in both reads
  // (tasks.csv and the page), and across the boundaries of a run of ties.
  auto db = testing::OpenDatabase();
  EpochMs r = kReceived;
  const char* ids[] = {"t-b", "t-c", "t-a", "z-1", "a-2", "T-0", "t-\u00e9", "t-e"};
  const char* times[] = {"2026-07-01T09:00:00Z", "2026-07-01T09:00:00Z", "2026-07-01T09:00:00Z",
                         "2026-07-01T08:00:00Z", "2026-07-01T10:00:00Z", "2026-07-01T10:00:00Z",
                         "2026-07-01T09:00:00Z", "2026-07-01T09:00:00Z"};
  int n = 0;
  for (int i = 0; i < 8; ++i) {
    Put(*db, {{"type", "task.start"}, {"id", "s" + std::to_string(++n)}, {"at", times[i]}, {"task_id", ids[i]}},
        r += 1000);
  }
  auto out = Export(*db, {});
  ASSERT_TRUE(out->result.ok());
  auto rows = testing::ParseCsv(out->file("tasks.csv"));
  std::vector<std::string> order;
  for (std::size_t i = 1; i < rows.size(); ++i) order.push_back(rows[i][0]);
  // Byte order within a millisecond: "t-\u00e9" (0xC3 0xA9) after "t-e"; "T-0" before "a-2".
  EXPECT_EQ(order, (std::vector<std::string>{"z-1", "t-a", "t-b", "t-c", "t-e", "t-\u00e9", "T-0", "a-2"}));
  std::string html = out->file("dossier.html");
  std::size_t at = 0;
  for (const std::string& id : order) {
    std::size_t found = html.find("<td>" + id + "</td></tr>", at);
    ASSERT_NE(found, std::string::npos) << id;
    at = found;
  }
}

TEST(DossierTest, UnknownAccountWritesNothing) {
  auto db = testing::OpenDatabase();
  FillFixture(*db);
  DossierOptions options;
  options.account = "nobody@example.org";
  auto out = Export(*db, options);
  ASSERT_FALSE(out->result.ok());
  EXPECT_EQ(out->result.status().code(), Code::kNotFound);
  EXPECT_TRUE(fs::is_empty(out->dir.path()));
}

TEST(DossierTest, RefusesToOverwriteUnlessAsked) {
  auto db = testing::OpenDatabase();
  FillFixture(*db);
  FakeClock clock(At("2026-07-14T08:00:00Z"));
  temoin::testing::TempDir dir;
  DossierOptions options{"dataannotation", "ana@example.org"};
  ASSERT_TRUE(WriteDossier(*db, clock, options, dir.path()).ok());
  auto again = WriteDossier(*db, clock, options, dir.path());
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kIo);
  options.replace_files = true;
  EXPECT_TRUE(WriteDossier(*db, clock, options, dir.path()).ok());
}

// ---- hostile page text -------------------------------------------------------------------------------------

const std::vector<std::string>& Hostile() {
  static const std::vector<std::string> kTexts{
      "=cmd|' /C calc'!A0",
      "<script>alert('x')</script><img src=x onerror=alert(1)>",
      "\"quoted\", with a comma; and 'single'",
      "\u202Egnp.exe\u202C and \u2066isolated\u2069 \u200F",
      "emoji 😀 👩‍💻 and a newline\nsecond line\r\nthird",
      "+SUM(1,2)",
      "-2+3",
      "@SUM(A1)",
      "\ttab first",
      "\xEF\xBC\x9D" "full-width equals",
      "&amp; </td></tr></table> ]]> --> العربية עברית",
      "\u2028line separator\u2029",
  };
  return kTexts;
}

bool HasRawBidi(const std::string& text) {
  for (const char* cp : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069",
                         "\u200E", "\u200F", "\u2028", "\u2029"}) {
    if (text.find(cp) != std::string::npos) return true;
  }
  return false;
}

TEST(DossierTest, HostileTextIsEscapedInEveryFormat) {
  auto db = testing::OpenDatabase();
  const std::string account = "<b>ana</b> \u202E\"x\"@example.org 😀";
  EpochMs r = kReceived;
  int n = 0;
  auto put = [&](json m) {
    m["account"] = account;
    m["id"] = "h" + std::to_string(++n);
    Put(*db, std::move(m), r += 1000);
  };
  for (std::size_t i = 0; i < Hostile().size(); ++i) {
    const std::string& h = Hostile()[i];
    char at[64], end[64];  // room for any size_t the compiler cannot rule out
    std::snprintf(at, sizeof at, "2026-07-%02zuT09:00:00+02:00", i + 1);
    std::snprintf(end, sizeof end, "2026-07-%02zuT09:30:00+02:00", i + 1);
    std::string task_id = h.substr(0, 100) + "#" + std::to_string(i);
    put({{"type", "task.start"}, {"at", at}, {"task_id", task_id}, {"project", h}, {"title", h}, {"url", h},
         {"rate", {{"amount", "10.00"}, {"currency", "USD"}, {"per", "hour"}}}});
    put({{"type", "task.submit"}, {"at", end}, {"task_id", task_id}, {"earned", {{"amount", "5.00"}, {"currency", "USD"}}}});
    put({{"type", "payout"}, {"at", end}, {"amount", "1.00"}, {"currency", "USD"}, {"method", h.substr(0, 64)},
         {"reference", h}});
    put({{"type", "balance.missing"}, {"at", end}, {"detail", h}});
    put({{"type", "account.status"}, {"at", end}, {"state", i % 2 ? "locked" : "active"}, {"detail", h}});
    put({{"type", "balance"}, {"at", end}, {"amount", "3.00"}, {"currency", "USD"}});
  }
  {
    SQLite::Statement alert(db->sql(),
                            "INSERT INTO alerts (kind, severity, platform, account, episode, raised_ms, raised_at, "
                            "message, evidence, state) VALUES ('account_locked', 'critical', 'dataannotation', ?, 'e', "
                            "?, '2026-07-05T00:00:00.000Z', ?, '[]', 'open')");
    alert.bind(1, account);
    alert.bind(2, At("2026-07-05T00:00:00Z"));
    alert.bind(3, Hostile()[1] + Hostile()[3]);
    alert.exec();
  }
  DossierOptions options;
  options.account = account;
  auto out = Export(*db, options);
  ASSERT_TRUE(out->result.ok()) << out->result.status().ToString();

  // HTML: no markup from the pages, no raw bidi control, the text still there in escaped form.
  std::string html = out->file("dossier.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>ana"), std::string::npos);
  EXPECT_EQ(html.find("</td></tr></table> ]]>"), std::string::npos);
  EXPECT_FALSE(HasRawBidi(html));
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;ana&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("[U+202E]gnp.exe[U+202C]"), std::string::npos);
  EXPECT_NE(html.find("👩‍💻"), std::string::npos);
  EXPECT_NE(html.find("العربية"), std::string::npos);
  EXPECT_NE(html.find("=cmd|&#39; /C calc&#39;!A0"), std::string::npos);
  // Every hostile text of the pages appears (escaped) in each of the tables that shows it.
  for (const auto& h : Hostile()) EXPECT_NE(html.find(HtmlText(h)), std::string::npos) << h;

  // CSV: parses as RFC 4180; no cell a spreadsheet would run; no raw bidi control; text kept otherwise.
  for (const char* name : {"tasks.csv", "balances.csv", "payouts.csv"}) {
    std::string text = out->file(name);
    EXPECT_FALSE(HasRawBidi(text)) << name;
    auto rows = testing::ParseCsv(text);
    ASSERT_GT(rows.size(), 1u) << name;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), rows[0].size()) << name << " row " << i;
      for (const auto& cell : rows[i]) EXPECT_FALSE(LooksLikeFormula(cell)) << name << ": " << cell;
    }
  }
  auto tasks = testing::ParseCsv(out->file("tasks.csv"));
  std::set<std::string> projects;
  for (std::size_t i = 1; i < tasks.size(); ++i) projects.insert(tasks[i][2]);
  EXPECT_TRUE(projects.count("'=cmd|' /C calc'!A0"));
  EXPECT_TRUE(projects.count("'+SUM(1,2)"));
  EXPECT_TRUE(projects.count("'\ttab first"));
  EXPECT_TRUE(projects.count("emoji 😀 👩‍💻 and a newline\nsecond line\r\nthird"));
  EXPECT_TRUE(projects.count("\"quoted\", with a comma; and 'single'"));
  EXPECT_TRUE(projects.count("[U+202E]gnp.exe[U+202C] and [U+2066]isolated[U+2069] [U+200F]"));

  // JSONL: one event a line, each a JSON object whose strings are exactly what the pages gave; the chain holds.
  std::string jsonl = out->file("events.jsonl");
  std::istringstream lines(jsonl);
  std::string line;
  std::size_t count = 0;
  std::set<std::string> seen;
  while (std::getline(lines, line)) {
    ++count;
    auto row = json::parse(line);
    EXPECT_EQ(row["account"], account);
    EXPECT_EQ(row["event"]["account"], account);
    if (row["event"].contains("project")) seen.insert(row["event"]["project"].get<std::string>());
  }
  EXPECT_EQ(count, Hostile().size() * 6);
  for (const auto& h : Hostile()) EXPECT_TRUE(seen.count(h)) << h;
  std::istringstream in(jsonl);
  auto report = VerifyChainFile(in);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->account, account);
}

}  // namespace
}  // namespace temoin::exporter
