#include "rules/log_follower.h"

#include <gtest/gtest.h>

#include "rules/alert_service.h"
#include "rules/settings.h"
#include "store/projections.h"
#include "store/store_test_util.h"
#include "test_support/temp_dir.h"

namespace temoin::rules {
namespace {

using nlohmann::json;
using store::testing::MakeEvent;

// Appends an event to the log alone, committed, as the host does before it acknowledges.
std::int64_t Log(store::Database& db, const protocol::Event& e) {
  EXPECT_TRUE(db.Begin().ok());
  auto appended = store::EventLog(db).Append(
      {e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account, e.at_text, e.at, e.canonical},
      e.at + 1000);
  EXPECT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_TRUE(db.Commit().ok());
  return appended.ok() ? appended->seq : 0;
}

std::vector<protocol::Event> Lockout() {
  return {MakeEvent({{"type", "balance"}, {"id", "l1"}, {"amount", "1312.50"}, {"currency", "USD"},
                     {"at", "2026-06-01T08:00:00Z"}}),
          MakeEvent({{"type", "account.status"}, {"id", "l2"}, {"state", "locked"}, {"at", "2026-06-01T09:50:00Z"}}),
          MakeEvent({{"type", "balance.missing"}, {"id", "l3"}, {"currency", "USD"}, {"at", "2026-06-01T09:51:00Z"}})};
}

protocol::Event Balance(const char* id, const char* amount, const char* at) {
  return MakeEvent({{"type", "balance"}, {"id", id}, {"amount", amount}, {"currency", "USD"}, {"at", at}});
}

std::int64_t Count(store::Database& db, const std::string& sql) { return db.sql().execAndGet(sql).getInt64(); }

std::vector<std::string> Kinds(const std::vector<json>& pushes) {
  std::vector<std::string> kinds;
  for (const auto& p : pushes) kinds.push_back(p["alert"]["kind"].get<std::string>());
  return kinds;
}

class LogFollowerTest : public ::testing::Test {
 protected:
  FakeClock clock_{*protocol::ParseRfc3339("2026-06-01T10:00:00Z")};
  std::unique_ptr<store::Database> db_ = store::testing::MemoryDatabase();
  AlertService alerts_{*db_, clock_};
};

TEST_F(LogFollowerTest, EventsInTheLogAloneAreAppliedAndJudgedByTheNextCatchUp) {
  for (const auto& e : Lockout()) Log(*db_, e);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM accounts"), 0) << "nothing derived before the catch-up";
  EXPECT_EQ(*store::Projections(*db_).ProjectedThrough(), 0);

  LogFollower follower(*db_, &alerts_);  // remembers nothing: every event is read back from the log
  std::vector<json> pushes;
  ASSERT_TRUE(follower.CatchUp(&pushes).ok());
  EXPECT_EQ(Kinds(pushes), (std::vector<std::string>{"account_locked", "balance_vanished"}));
  EXPECT_EQ(db_->sql().execAndGet("SELECT state FROM accounts").getString(), "locked");
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM balances"), 2);
  // The mark passes the alerts the rules logged, so a catch-up never takes the host's own events for news.
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM events WHERE type = 'alert.raised'"), 2);
  EXPECT_EQ(*store::Projections(*db_).ProjectedThrough(), *store::EventLog(*db_).LastSeq());

  pushes.clear();
  ASSERT_TRUE(follower.CatchUp(&pushes).ok());
  EXPECT_TRUE(pushes.empty());
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM alerts"), 2);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM balances"), 2);
}

TEST_F(LogFollowerTest, RememberedEventsGiveTheTablesOfEventsReadBack) {
  auto remembered_db = store::testing::MemoryDatabase();
  AlertService remembered_alerts(*remembered_db, clock_);
  LogFollower from_memory(*remembered_db, &remembered_alerts);
  LogFollower from_log(*db_, &alerts_);
  std::vector<json> pushes_memory, pushes_log;
  for (const auto& e : Lockout()) {
    from_memory.Remember(Log(*remembered_db, e), e);
    Log(*db_, e);
  }
  EXPECT_EQ(from_memory.remembered(), 3u);
  ASSERT_TRUE(from_memory.CatchUp(&pushes_memory).ok());
  ASSERT_TRUE(from_log.CatchUp(&pushes_log).ok());
  EXPECT_EQ(from_memory.remembered(), 0u) << "applied events are forgotten";
  EXPECT_EQ(Kinds(pushes_memory), Kinds(pushes_log));
  const char* tables = "SELECT group_concat(x, '|') FROM (SELECT platform || account || state || state_seq AS x FROM "
                       "accounts UNION ALL SELECT COALESCE(amount_minor, '-') || '/' || missing || '/' || seq "
                       "FROM balances UNION ALL SELECT kind || state FROM alerts)";
  EXPECT_EQ(remembered_db->sql().execAndGet(tables).getString(), db_->sql().execAndGet(tables).getString());
}

TEST_F(LogFollowerTest, AFailedCatchUpLeavesNothingAndIsDoneAgainWhole) {
  LogFollower follower(*db_, &alerts_);
  for (const auto& e : Lockout()) follower.Remember(Log(*db_, e), e);
  // A storage failure in the middle of the catch-up (the third event's balance row).
  db_->sql().exec("CREATE TRIGGER fail BEFORE INSERT ON balances WHEN NEW.missing = 1 "
                  "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
  std::vector<json> pushes;
  Status failed = follower.CatchUp(&pushes);
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(pushes.empty()) << "the pushes of a rolled-back catch-up are dropped with it";
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM accounts"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM events WHERE type = 'alert.raised'"), 0);
  EXPECT_EQ(*store::Projections(*db_).ProjectedThrough(), 0);
  EXPECT_EQ(follower.remembered(), 3u);

  db_->sql().exec("DROP TRIGGER fail");
  ASSERT_TRUE(follower.CatchUp(&pushes).ok());
  EXPECT_EQ(Kinds(pushes), (std::vector<std::string>{"account_locked", "balance_vanished"}));
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM balances"), 2);
}

TEST(LogFollower, TwoHostsOnOneDatabaseApplyEachEventOnce) {
  temoin::testing::TempDir dir;
  FakeClock clock(*protocol::ParseRfc3339("2026-06-01T10:00:00Z"));
  auto a = std::move(store::Database::Open(dir.path() / "temoin.db")).value();
  auto b = std::move(store::Database::Open(dir.path() / "temoin.db")).value();
  AlertService alerts_a(*a, clock), alerts_b(*b, clock);
  LogFollower follower_a(*a, &alerts_a), follower_b(*b, &alerts_b);
  auto events = Lockout();
  follower_a.Remember(Log(*a, events[0]), events[0]);
  follower_b.Remember(Log(*b, events[1]), events[1]);
  follower_a.Remember(Log(*a, events[2]), events[2]);

  std::vector<json> pushes_a, pushes_b;
  ASSERT_TRUE(follower_b.CatchUp(&pushes_b).ok());  // b applies a's events too, read back from the log
  ASSERT_TRUE(follower_a.CatchUp(&pushes_a).ok());  // and a finds nothing left, and forgets what it held
  EXPECT_EQ(Kinds(pushes_b), (std::vector<std::string>{"account_locked", "balance_vanished"}));
  EXPECT_TRUE(pushes_a.empty());
  EXPECT_EQ(follower_a.remembered(), 0u);
  EXPECT_EQ(Count(*a, "SELECT COUNT(*) FROM balances"), 2);
  EXPECT_EQ(Count(*a, "SELECT COUNT(*) FROM alerts"), 2);
}

TEST(LogFollower, SettingsAnotherProcessChangedHoldFromItsNextCatchUp) {
  temoin::testing::TempDir dir;
  FakeClock clock(*protocol::ParseRfc3339("2026-06-01T10:00:00Z"));
  auto host = std::move(store::Database::Open(dir.path() / "temoin.db")).value();
  auto cli = std::move(store::Database::Open(dir.path() / "temoin.db")).value();
  AlertService alerts(*host, clock);
  LogFollower follower(*host, &alerts);
  std::vector<json> pushes;
  Log(*host, Balance("b1", "100.00", "2026-06-01T08:00:00Z"));
  ASSERT_TRUE(follower.CatchUp(&pushes).ok());  // the account's thresholds are read (the defaults) and kept
  // `temoin config` in another process: a drop of up to 5.00 is no alert on this account.
  ASSERT_TRUE(cli->Begin().ok());
  ASSERT_TRUE(StoreSettings(*cli, "dataannotation", "ana@example.org", {{"drop_tolerance", "5.00"}}).ok());
  ASSERT_TRUE(cli->Commit().ok());

  Log(*host, Balance("b2", "99.00", "2026-06-01T09:00:00Z"));
  ASSERT_TRUE(follower.CatchUp(&pushes).ok());
  EXPECT_TRUE(pushes.empty()) << pushes.front().dump();
  Log(*host, Balance("b3", "90.00", "2026-06-01T10:00:00Z"));
  ASSERT_TRUE(follower.CatchUp(&pushes).ok());
  EXPECT_EQ(Kinds(pushes), (std::vector<std::string>{"balance_dropped"}));
}

TEST_F(LogFollowerTest, AnAlertRolledBackWithItsCatchUpIsNotTakenForOpenLater) {
  LogFollower follower(*db_, &alerts_);
  for (const auto& e :
       {Balance("b1", "100.00", "2026-06-01T08:00:00Z"), Balance("b2", "50.00", "2026-06-01T09:00:00Z")}) {
    follower.Remember(Log(*db_, e), e);
  }
  // The catch-up raises balance_dropped, then fails as it marks its progress: all of it is rolled back.
  db_->sql().exec(
      "CREATE TRIGGER fail BEFORE UPDATE ON projection_mark BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
  std::vector<json> pushes;
  ASSERT_FALSE(follower.CatchUp(&pushes).ok());
  db_->sql().exec("DROP TRIGGER fail");
  // Meanwhile the worker says a drop of up to 60.00 is normal on this account: no alert to raise now, and none
  // to resolve (the one rolled back was never there).
  protocol::Request request{
      "q", "config.set",
      protocol::ConfigSet{{"dataannotation", "ana@example.org"}, json{{"drop_tolerance", "60.00"}}}};
  ASSERT_TRUE(alerts_.HandleQuery(request, &pushes).has_value());
  pushes.clear();
  ASSERT_TRUE(follower.CatchUp(&pushes).ok());
  EXPECT_TRUE(pushes.empty()) << pushes.front().dump();
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM events WHERE type LIKE 'alert.%'"), 0);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM balances"), 2);
}

TEST_F(LogFollowerTest, InsideTheCallersTransactionItAppliesWithoutCommitting) {
  LogFollower follower(*db_, &alerts_);
  auto events = Lockout();
  follower.Remember(Log(*db_, events[0]), events[0]);
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_TRUE(follower.CatchUp(nullptr).ok());
  EXPECT_TRUE(db_->in_transaction());
  db_->Rollback();
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM balances"), 0);
  EXPECT_EQ(follower.remembered(), 1u) << "kept until a catch-up's commit is known";
  ASSERT_TRUE(follower.CatchUp(nullptr).ok());
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM balances"), 1);
}

}  // namespace
}  // namespace temoin::rules
