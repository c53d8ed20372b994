// Integration tests of the `temoin` CLI over a database filled by the real temoin-host.
#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include "test_support/host_process.h"

namespace temoin::testing {
namespace {

using nlohmann::json;

void Fill(const std::filesystem::path& dir) {
  auto host = StartHost(dir);
  ASSERT_TRUE(host);
  for (const json& e : {MakeEvent("balance", "c1", {{"amount", "1312.50"}, {"at", "2026-07-14T09:30:00+02:00"}}),
                        MakeEvent("payout", "c2", {{"amount", "100.00"}, {"at", "2026-07-14T10:00:00+02:00"}}),
                        MakeEvent("balance", "c3", {{"amount", "1212.50"}, {"at", "2026-07-14T10:01:00+02:00"},
                                                    {"account", "second@example.org"}})}) {
    auto reply = host->Call(e);
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ((*reply)["ok"], true) << reply->dump();
  }
  ASSERT_EQ(*host->Finish(), 0);
}

TEST(Cli, StatusShowsWhatWasSent) {
  TempDir dir;
  Fill(dir.path());
  auto table = RunTemoin(dir.path(), {"status"});
  EXPECT_EQ(table.exit_status, 0);
  EXPECT_NE(table.out.find("dataannotation / ana@example.org"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("1312.50 USD"), std::string::npos) << table.out;
  auto as_json = RunTemoin(dir.path(), {"status", "--json"});
  EXPECT_EQ(as_json.exit_status, 0);
  auto rows = json::parse(as_json.out);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["balance"], "1312.50");
  EXPECT_EQ(rows[1]["account"], "second@example.org");
  auto one = RunTemoin(dir.path(), {"status", "--json", "--account", "second@example.org"});
  EXPECT_EQ(json::parse(one.out).size(), 1u);
}

TEST(Cli, LogPrintsEventsAsJsonLines) {
  TempDir dir;
  Fill(dir.path());
  auto log = RunTemoin(dir.path(), {"log", "--json", "--type", "payout"});
  EXPECT_EQ(log.exit_status, 0);
  auto row = json::parse(log.out.substr(0, log.out.find('\n')));
  EXPECT_EQ(row["type"], "payout");
  EXPECT_EQ(row["event"]["amount"], "100.00");
  EXPECT_EQ(row["hash"].get<std::string>().size(), 64u);
  EXPECT_EQ(RunTemoin(dir.path(), {"log", "--type", "nonsense"}).exit_status, 64);
}

TEST(Cli, VerifyPassesThenCatchesATamperedRow) {
  TempDir dir;
  Fill(dir.path());
  auto clean = RunTemoin(dir.path(), {"verify"});
  EXPECT_EQ(clean.exit_status, 0) << clean.out;
  EXPECT_NE(clean.out.find("all links verified"), std::string::npos);
  {
    SQLite::Database db((dir.path() / "temoin.db").string(), SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER events_are_never_updated");
    db.exec("UPDATE events SET body = replace(body, '1312.50', '13.50') WHERE id = 'c1'");
  }
  auto tampered = RunTemoin(dir.path(), {"verify"});
  EXPECT_EQ(tampered.exit_status, 1);
  EXPECT_NE(tampered.out.find("BROKEN at seq 1"), std::string::npos) << tampered.out;
  auto as_json = json::parse(RunTemoin(dir.path(), {"verify", "--json"}).out);
  EXPECT_EQ(as_json["ok"], false);
  EXPECT_EQ(as_json["broken"][0]["seq"], 1);
}

TEST(Cli, VerifyThoroughAlsoChecksEveryIndexAgainstItsTable) {
  TempDir dir;
  Fill(dir.path());
  auto quick = json::parse(RunTemoin(dir.path(), {"verify", "--json"}).out);
  EXPECT_EQ(quick["ok"], true);
  EXPECT_EQ(quick["integrity_check"], "quick");
  auto full = RunTemoin(dir.path(), {"verify", "--thorough"});
  EXPECT_EQ(full.exit_status, 0) << full.out;
  EXPECT_NE(full.out.find("all links verified"), std::string::npos);
  EXPECT_EQ(json::parse(RunTemoin(dir.path(), {"verify", "--thorough", "--json"}).out)["integrity_check"], "full");
  {
    // An index that no longer matches its table (here: its declared columns changed under it). No event and no
    // link changes, and every page is well formed: only integrity_check sees it (docs/security.md).
    SQLite::Database db((dir.path() / "temoin.db").string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA writable_schema = ON");
    db.exec("UPDATE sqlite_master SET sql = 'CREATE INDEX balances_by_series ON balances (account, at_ms)' "
            "WHERE name = 'balances_by_series'");
  }
  auto default_check = RunTemoin(dir.path(), {"verify"});
  EXPECT_EQ(default_check.exit_status, 0) << default_check.out;
  auto thorough = RunTemoin(dir.path(), {"verify", "--thorough"});
  EXPECT_EQ(thorough.exit_status, 1) << thorough.out;
  EXPECT_NE(thorough.out.find("DAMAGED: "), std::string::npos) << thorough.out;
  EXPECT_NE(thorough.out.find("balances_by_series"), std::string::npos) << thorough.out;
  auto as_json = json::parse(RunTemoin(dir.path(), {"verify", "--thorough", "--json"}).out);
  EXPECT_EQ(as_json["ok"], false);
  EXPECT_NE(as_json["integrity"].get<std::string>().find("balances_by_series"), std::string::npos);
}

TEST(Cli, VerifyFindsAPageLevelFaultWithoutThorough) {
  TempDir dir;
  Fill(dir.path());
  {
    // A NOT NULL column emptied behind the schema's back: a fault of the file that quick_check sees.
    SQLite::Database db((dir.path() / "temoin.db").string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA writable_schema = ON");
    db.exec("UPDATE sqlite_master SET sql = replace(sql, 'received_at  TEXT    NOT NULL', 'received_at  TEXT') "
            "WHERE name = 'events'");
  }
  {
    SQLite::Database db((dir.path() / "temoin.db").string(), SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER events_are_never_updated");
    db.exec("UPDATE events SET received_at = NULL WHERE seq = 1");
    db.exec("PRAGMA writable_schema = ON");
    db.exec("UPDATE sqlite_master SET sql = replace(sql, 'received_at  TEXT,', 'received_at  TEXT    NOT NULL,') "
            "WHERE name = 'events'");
  }
  auto check = RunTemoin(dir.path(), {"verify"});
  EXPECT_EQ(check.exit_status, 1) << check.out;
  EXPECT_NE(check.out.find("DAMAGED: "), std::string::npos) << check.out;
}

TEST(Cli, RebuildRestoresLostSummaryTablesFromTheLog) {
  TempDir dir;
  Fill(dir.path());
  std::string before = RunTemoin(dir.path(), {"status", "--json"}).out;
  {
    SQLite::Database db((dir.path() / "temoin.db").string(), SQLite::OPEN_READWRITE);
    db.exec("DELETE FROM balance_series; DELETE FROM balances; DELETE FROM payouts; DELETE FROM accounts");
  }
  EXPECT_EQ(json::parse(RunTemoin(dir.path(), {"status", "--json"}).out).size(), 0u);
  auto rebuild = RunTemoin(dir.path(), {"rebuild"});
  EXPECT_EQ(rebuild.exit_status, 0) << rebuild.out;
  EXPECT_EQ(RunTemoin(dir.path(), {"status", "--json"}).out, before);
  EXPECT_EQ(RunTemoin(dir.path(), {"verify"}).exit_status, 0);
}

TEST(Cli, DemoDrivesTheRealHostIntoItsOwnFolder) {
  TempDir dir;
  auto demo = RunTemoin(dir.path(), {"demo", "--days", "21"});
  EXPECT_EQ(demo.exit_status, 0) << demo.out;
  EXPECT_NE(demo.out.find("dataannotation /"), std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("prolific /"), std::string::npos) << demo.out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "temoin.db")) << "the demo must not touch the real data";
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "home/.local/share/temoin-demo/temoin.db"));
}

TEST(Cli, UsageErrorsAndHelp) {
  TempDir dir;
  EXPECT_EQ(RunTemoin(dir.path(), {"--help"}).exit_status, 0);
  EXPECT_EQ(RunTemoin(dir.path(), {"no-such-command"}).exit_status, 64);
  EXPECT_EQ(RunTemoin(dir.path(), {}).exit_status, 64);
  auto version = RunTemoin(dir.path(), {"version"});
  EXPECT_EQ(version.exit_status, 0);
  EXPECT_NE(version.out.find("temoin 0.1.0"), std::string::npos);
}

}  // namespace
}  // namespace temoin::testing
