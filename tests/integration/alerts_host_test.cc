// Integration tests of the alerts through the real temoin-host and temoin CLI: a lockout raises
// balance_vanished and account_locked, pushed after the replies; query.alerts lists them; alert.ack
// acknowledges and the acknowledgement is in the log; temoin verify still passes; the CLI shows, acknowledges
// and configures; temoin check runs without a notifier.
#include <gtest/gtest.h>

#include <chrono>

#include "protocol/decode.h"
#include "protocol/timestamp.h"
#include "store/database.h"
#include "store/event_log.h"
#include "test_support/host_process.h"

namespace temoin::testing {
namespace {

using nlohmann::json;

std::string Ago(std::int64_t minutes) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  return protocol::FormatUtc(now.count() - minutes * 60'000);
}

// Sends the lockout history; returns the frames that followed, in order.
std::vector<json> Lockout(cli::HostClient& host) {
  std::vector<json> sent = {
      MakeEvent("balance", "l1", {{"amount", "1312.50"}, {"at", Ago(120)}}),
      MakeEvent("account.status", "l2", {{"state", "locked"}, {"at", Ago(10)}}),
      MakeEvent("balance.missing", "l3", {{"at", Ago(9)}}),
  };
  for (const auto& e : sent) EXPECT_TRUE(host.Send(e).ok());
  std::vector<json> frames;
  // Three replies and two pushes, whatever the batching; replies of a batch come before its pushes.
  for (int i = 0; i < 5; ++i) {
    auto frame = host.Receive();
    EXPECT_TRUE(frame.ok()) << frame.status().ToString();
    if (!frame.ok()) break;
    frames.push_back(*frame);
  }
  return frames;
}

TEST(AlertsHost, LockoutRaisesPushesListsAcksAndVerifies) {
  TempDir dir;
  auto host = StartHost(dir.path());
  ASSERT_TRUE(host);
  auto frames = Lockout(*host);
  ASSERT_EQ(frames.size(), 5u);
  std::vector<std::string> kinds;
  std::map<std::string, std::size_t> reply_index;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].contains("re")) {
      EXPECT_EQ(frames[i]["ok"], true) << frames[i].dump();
      reply_index[frames[i]["re"].get<std::string>()] = i;
    } else {
      EXPECT_EQ(frames[i]["type"], "alert");
      kinds.push_back(frames[i]["alert"]["kind"].get<std::string>());
      EXPECT_EQ(frames[i]["alert"]["state"], "open");
      EXPECT_FALSE(frames[i]["alert"]["message"].get<std::string>().empty());
      EXPECT_FALSE(frames[i]["alert"]["evidence"].empty());
      // A push follows the reply of the event that raised it.
      std::string cause = kinds.back() == "account_locked" ? "l2" : "l3";
      ASSERT_TRUE(reply_index.count(cause)) << "push before the reply of " << cause;
      EXPECT_LT(reply_index[cause], i);
    }
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"account_locked", "balance_vanished"}));

  auto listed = host->Call({{"v", 1}, {"type", "query.alerts"}, {"id", "qa"}});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ((*listed)["alerts"].size(), 2u) << listed->dump();
  EXPECT_EQ((*listed)["alerts"][1]["severity"], "critical");
  std::int64_t id = (*listed)["alerts"][0]["id"].get<std::int64_t>();

  auto ack = host->Call({{"v", 1}, {"type", "alert.ack"}, {"id", "ak"}, {"alert_id", id}});
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ((*ack)["alert"]["state"], "acknowledged") << ack->dump();
  auto bad = host->Call({{"v", 1}, {"type", "config.set"}, {"id", "cs"}, {"settings", {{"unpaid_days", 0}}}});
  EXPECT_EQ((*bad)["error"]["field"], "settings.unpaid_days");
  auto set = host->Call({{"v", 1}, {"type", "config.set"}, {"id", "cs2"}, {"platform", "dataannotation"},
                         {"account", "ana@example.org"}, {"settings", {{"unpaid_days", 30}}}});
  EXPECT_EQ((*set)["config"]["unpaid_days"], 30) << set->dump();
  ASSERT_EQ(*host->Finish(), 0);

  auto log = RunTemoin(dir.path(), {"log", "--json"});
  EXPECT_NE(log.out.find("host:alert:" + std::to_string(id) + ":acknowledged"), std::string::npos) << log.out;
  auto verify = RunTemoin(dir.path(), {"verify"});
  EXPECT_EQ(verify.exit_status, 0) << verify.out;

  auto open = RunTemoin(dir.path(), {"alerts", "--json"});
  EXPECT_EQ(open.exit_status, 0);
  EXPECT_EQ(json::parse(open.out).size(), 1u) << open.out;
  EXPECT_EQ(json::parse(RunTemoin(dir.path(), {"alerts", "--all", "--json"}).out).size(), 2u);
  auto ack2 = RunTemoin(dir.path(), {"ack", "2"});
  EXPECT_EQ(ack2.exit_status, 0) << ack2.out;
  EXPECT_EQ(RunTemoin(dir.path(), {"ack", "99"}).exit_status, 64);
  EXPECT_NE(RunTemoin(dir.path(), {"alerts"}).out.find("No open alert"), std::string::npos);

  auto config = RunTemoin(dir.path(), {"config", "--platform", "dataannotation", "--account", "ana@example.org"});
  EXPECT_EQ(config.exit_status, 0);
  EXPECT_NE(config.out.find("unpaid_days = 30"), std::string::npos) << config.out;
  EXPECT_EQ(RunTemoin(dir.path(), {"config", "dried_up_days=0"}).exit_status, 64);
  EXPECT_EQ(RunTemoin(dir.path(), {"config", "no_such=1"}).exit_status, 64);
  auto defaults = RunTemoin(dir.path(), {"config", "no_contact_days=10", "unpaid_threshold=50"});
  EXPECT_EQ(defaults.exit_status, 0);
  EXPECT_NE(defaults.out.find("unpaid_threshold = 50"), std::string::npos) << defaults.out;

  // The record rebuilt from the log says the same.
  std::string before = RunTemoin(dir.path(), {"alerts", "--all", "--json"}).out;
  EXPECT_EQ(RunTemoin(dir.path(), {"rebuild"}).exit_status, 0);
  EXPECT_EQ(RunTemoin(dir.path(), {"alerts", "--all", "--json"}).out, before);

  auto check = RunTemoin(dir.path(), {"check", "--no-notify"});
  EXPECT_EQ(check.exit_status, 0) << check.out;
  EXPECT_EQ(RunTemoin(dir.path(), {"verify"}).exit_status, 0);
}

TEST(AlertsHost, AFullWithdrawalRaisesNothing) {
  TempDir dir;
  auto host = StartHost(dir.path());
  ASSERT_TRUE(host);
  for (const json& e : {MakeEvent("balance", "w1", {{"amount", "420.00"}, {"at", Ago(30)}}),
                        MakeEvent("payout", "w2", {{"amount", "420.00"}, {"at", Ago(20)}}),
                        MakeEvent("balance", "w3", {{"amount", "0.00"}, {"at", Ago(19)}})}) {
    auto reply = host->Call(e);
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ((*reply)["ok"], true);
  }
  auto listed = host->Call({{"v", 1}, {"type", "query.alerts"}, {"id", "qa"}, {"state", "all"}});
  EXPECT_EQ((*listed)["alerts"].size(), 0u);
  EXPECT_TRUE(host->pushes().empty());
  ASSERT_EQ(*host->Finish(), 0);
}

// What a host killed between its acks and its catch-up leaves: the events in the log, and nothing derived.
void LogWithoutApplying(const std::filesystem::path& dir, const std::vector<json>& events) {
  auto db = store::Database::Open(dir / "temoin.db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  for (const json& message : events) {
    auto decoded = protocol::DecodeRequest(message.dump(), protocol::ParseRfc3339("2100-01-01T00:00:00Z").value());
    ASSERT_TRUE(decoded.status.ok()) << decoded.status.ToString();
    const auto& e = std::get<protocol::Event>(decoded.request->body);
    ASSERT_TRUE((*db)->Begin().ok());
    store::NewEvent row{e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account, e.at_text, e.at,
                        e.canonical};
    auto appended = store::EventLog(**db).Append(row, e.at);
    ASSERT_TRUE(appended.ok()) << appended.status().ToString();
    ASSERT_TRUE((*db)->Commit().ok());
  }
}

std::vector<json> LockoutEvents() {
  return {MakeEvent("balance", "l1", {{"amount", "1312.50"}, {"at", Ago(120)}}),
          MakeEvent("account.status", "l2", {{"state", "locked"}, {"at", Ago(10)}}),
          MakeEvent("balance.missing", "l3", {{"at", Ago(9)}})};
}

TEST(AlertsHost, EventsAKilledHostNeverAppliedAreJudgedByTheNextHost) {
  TempDir dir;
  LogWithoutApplying(dir.path(), LockoutEvents());
  auto host = StartHost(dir.path());
  ASSERT_TRUE(host);
  auto summary = host->Call({{"v", 1}, {"type", "query.summary"}, {"id", "qs"}});
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ((*summary)["accounts"].size(), 1u) << summary->dump();
  EXPECT_EQ((*summary)["accounts"][0]["state"], "locked") << summary->dump();
  auto listed = host->Call({{"v", 1}, {"type", "query.alerts"}, {"id", "qa"}});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)["alerts"].size(), 2u) << listed->dump();
  EXPECT_EQ(host->pushes().size(), 2u) << "the catch-up's alerts are pushed to the browser too";
  ASSERT_EQ(*host->Finish(), 0);
  EXPECT_EQ(RunTemoin(dir.path(), {"verify"}).exit_status, 0);
}

TEST(AlertsHost, EventsAKilledHostNeverAppliedAreJudgedByCheckAndShownByStatus) {
  TempDir dir;
  LogWithoutApplying(dir.path(), LockoutEvents());
  auto check = RunTemoin(dir.path(), {"check", "--no-notify"});
  EXPECT_EQ(check.exit_status, 0) << check.out;
  EXPECT_NE(check.out.find("account_locked"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("balance_vanished"), std::string::npos) << check.out;
  auto again = RunTemoin(dir.path(), {"check", "--no-notify"});
  EXPECT_NE(again.out.find("No new alert"), std::string::npos) << again.out;

  TempDir other;
  LogWithoutApplying(other.path(), LockoutEvents());
  auto status = RunTemoin(other.path(), {"status"});
  EXPECT_EQ(status.exit_status, 0) << status.out;
  EXPECT_NE(status.out.find("locked"), std::string::npos) << status.out;
}

}  // namespace
}  // namespace temoin::testing
