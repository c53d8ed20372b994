#include "store/verify_parallel.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"
#include "test_support/temp_dir.h"

namespace temoin::store {
namespace {

using nlohmann::json;

// The parallel walk must give, field for field, the report of one walk: compared after each of a series of
// tamperings, with the ranges cut at many different places.
void ExpectSameReport(Database& db, const std::string& stage) {
  auto one = VerifyLog(db);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  for (int workers : {2, 3, 4, 7}) {
    ParallelVerifyOptions options;
    options.workers = workers;
    options.min_rows_per_worker = 1;
    options.map_file = workers % 2 == 0;
    auto many = VerifyLogInParallel(db, options);
    ASSERT_TRUE(many.ok()) << many.status().ToString();
    SCOPED_TRACE(stage + ", " + std::to_string(workers) + " workers");
    EXPECT_EQ(many->events, one->events);
    ASSERT_EQ(many->chains.size(), one->chains.size());
    for (const auto& [key, head] : one->chains) {
      ASSERT_TRUE(many->chains.contains(key)) << key.first << "/" << key.second;
      const ChainHead& other = many->chains.at(key);
      EXPECT_EQ(other.events, head.events);
      EXPECT_EQ(other.last_seq, head.last_seq);
      EXPECT_EQ(other.hash, head.hash);
    }
    ASSERT_EQ(many->broken.size(), one->broken.size());
    for (std::size_t i = 0; i < one->broken.size(); ++i) {
      EXPECT_EQ(many->broken[i].seq, one->broken[i].seq);
      EXPECT_EQ(many->broken[i].platform, one->broken[i].platform);
      EXPECT_EQ(many->broken[i].account, one->broken[i].account);
      EXPECT_EQ(many->broken[i].reason, one->broken[i].reason);
    }
  }
}

TEST(VerifyParallel, GivesTheReportOfOneWalkWhateverWasTampered) {
  temoin::testing::TempDir dir;
  auto opened = Database::Open(dir.path() / "temoin.db");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Database& db = **opened;
  // Three accounts in runs of unequal length, so that range bounds fall inside and between runs.
  const char* accounts[] = {"ana", "ben", "cleo"};
  int n = 0;
  for (int round = 0; round < 12; ++round) {
    for (int a = 0; a < 3; ++a) {
      for (int k = 0; k <= (round + a) % 3; ++k) {
        ++n;
        testing::Store(db, {{"type", "balance"}, {"id", "e" + std::to_string(n)}, {"account", accounts[a]},
                            {"at", "2026-07-14T09:30:00Z"}, {"amount", std::to_string(n) + ".00"},
                            {"currency", "USD"}});
      }
    }
  }
  ASSERT_GT(n, 60);
  ExpectSameReport(db, "intact");
  auto& sql = db.sql();
  sql.exec("DROP TRIGGER events_are_never_updated");
  sql.exec("DROP TRIGGER events_are_never_deleted");
  sql.exec("UPDATE events SET body = replace(body, '\"7.00\"', '\"70.00\"') WHERE seq = 7");
  ExpectSameReport(db, "an edited body");
  sql.exec("DELETE FROM events WHERE seq = 21");
  ExpectSameReport(db, "a removed row");
  sql.exec("UPDATE events SET account = 'ben' WHERE seq = 30 AND account = 'ana'");
  sql.exec("UPDATE events SET at = '2026-07-15T00:00:00Z' WHERE seq = 33");
  ExpectSameReport(db, "edited columns");
  sql.exec("UPDATE events SET prev_hash = hash WHERE seq = 44");
  ExpectSameReport(db, "a broken link");
  sql.exec("DELETE FROM events WHERE seq = 1");
  ExpectSameReport(db, "the first row removed");
  sql.exec("DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)");
  ExpectSameReport(db, "the last row removed");
}

TEST(VerifyParallel, AnInMemoryOrSmallLogIsWalkedAlone) {
  auto db = testing::MemoryDatabase();
  for (int i = 0; i < 5; ++i) {
    testing::Store(*db, {{"type", "balance"}, {"id", "m" + std::to_string(i)}, {"at", "2026-07-14T09:30:00Z"},
                         {"amount", "1.00"}, {"currency", "USD"}});
  }
  ParallelVerifyOptions options;
  options.workers = 4;
  options.min_rows_per_worker = 1;
  auto report = VerifyLogInParallel(*db, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->events, 5);
}

}  // namespace
}  // namespace temoin::store
