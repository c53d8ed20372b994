// Unit tests of each alert rule, on simulated time (FakeClock) and an in-memory database.
#include <gtest/gtest.h>

#include "protocol/alert_settings.h"
#include "rules/rules_test_util.h"
#include "store/verify.h"

namespace temoin::rules::testing {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;

const EpochMs kT0 = T("2026-06-01T08:00:00Z");

json Request(const std::string& type, json fields = json::object()) {
  fields["v"] = 1;
  fields["type"] = type;
  fields["id"] = "q1";
  return fields;
}

json Ask(Bench& b, const json& message) {
  auto out = protocol::DecodeRequest(message.dump(), b.clock().NowMs());
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  std::vector<json> pushes;
  auto reply = b.alerts().HandleQuery(*out.request, &pushes);
  EXPECT_TRUE(reply.has_value());
  return reply.value_or(json());
}

// balance_vanished ------------------------------------------------------------------------------------------

TEST(BalanceVanished, ZeroWithoutPayoutRaisesCriticalWithEvidence) {
  Bench b(kT0);
  auto first = b.Balance("1312.50", kT0);
  auto zero = b.Balance("0", kT0 + kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:open"}));
  ASSERT_EQ(b.pushes().size(), 1u);
  const json& a = b.pushes()[0]["alert"];
  EXPECT_EQ(b.pushes()[0]["type"], "alert");
  EXPECT_EQ(a["kind"], "balance_vanished");
  EXPECT_EQ(a["severity"], "critical");
  EXPECT_EQ(a["evidence"], json({first, zero}));
  EXPECT_EQ(a["state"], "open");
  EXPECT_TRUE(a["resolved_at"].is_null());
  EXPECT_NE(a["message"].get<std::string>().find("1312.50 USD"), std::string::npos);
  EXPECT_NE(a["message"].get<std::string>().find("screenshots"), std::string::npos);
}

TEST(BalanceVanished, MissingBalanceRaisesOnlyVanished) {
  Bench b(kT0);
  b.Balance("80.00", kT0);
  b.Send({{"type", "balance.missing"}}, kT0 + kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:open"}));
}

TEST(BalanceVanished, FullWithdrawalIsNotAnAlarm) {
  Bench b(kT0);
  b.Balance("250.00", kT0);
  b.Payout("250.00", kT0 + kHour);
  b.Balance("0.00", kT0 + kHour + 60'000);
  EXPECT_EQ(b.Alerts(), V());
  EXPECT_TRUE(b.pushes().empty());
}

TEST(BalanceVanished, ZeroToZeroAndFirstObservationZeroAreNothing) {
  Bench b(kT0);
  b.Balance("0", kT0);
  b.Balance("0", kT0 + kHour);
  b.Send({{"type", "balance.missing"}}, kT0 + 2 * kHour);
  EXPECT_EQ(b.Alerts(), V());
}

TEST(BalanceVanished, PayoutWithinTheWindowResolvesAndIsPushed) {
  Bench b(kT0);
  b.Balance("500.00", kT0);
  b.Balance("0.00", kT0 + kHour);
  b.Payout("500.00", kT0 + kHour + 20 * 60'000);
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:resolved"}));
  ASSERT_EQ(b.pushes().size(), 2u);
  EXPECT_EQ(b.pushes()[1]["alert"]["state"], "resolved");
  EXPECT_FALSE(b.pushes()[1]["alert"]["resolved_at"].is_null());
}

TEST(BalanceVanished, PayoutAfterTheWindowDoesNotResolve) {
  Bench b(kT0);
  b.Balance("500.00", kT0);
  b.Balance("0.00", kT0 + kHour);
  b.Payout("500.00", kT0 + 3 * kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:open"}));
}

TEST(BalanceVanished, BalanceShowingAgainAfterAGapResolves) {
  Bench b(kT0);
  b.Balance("90.00", kT0);
  b.Send({{"type", "balance.missing"}, {"currency", "USD"}}, kT0 + kHour);
  b.Balance("90.00", kT0 + 2 * kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:resolved"}));
}

// balance_dropped -------------------------------------------------------------------------------------------

TEST(BalanceDropped, UnexplainedFallRaisesWarning) {
  Bench b(kT0);
  b.Balance("300.00", kT0);
  b.Balance("120.00", kT0 + kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:open"}));
  EXPECT_EQ(b.pushes()[0]["alert"]["severity"], "warning");
  EXPECT_NE(b.pushes()[0]["alert"]["message"].get<std::string>().find("180.00 USD"), std::string::npos);
}

TEST(BalanceDropped, WithinToleranceIsNothingAndToleranceIsConfigurable) {
  Bench b(kT0);
  b.Balance("300.00", kT0);
  b.Balance("299.99", kT0 + kHour);  // exactly the default tolerance
  EXPECT_EQ(b.Alerts(), V());
  json set = Ask(b, Request("config.set", {{"platform", "dataannotation"}, {"account", "ana@example.org"},
                                           {"settings", {{"drop_tolerance", "5"}}}}));
  EXPECT_EQ(set["config"]["drop_tolerance"], "5");
  b.Balance("295.00", kT0 + 2 * kHour);
  EXPECT_EQ(b.Alerts(), V());
  b.Balance("289.00", kT0 + 3 * kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:open"}));
}

TEST(BalanceDropped, PartialPayoutExplainsOnlyItsShare) {
  Bench b(kT0);
  b.Balance("300.00", kT0);
  b.Payout("100.00", kT0 + 30 * 60'000);
  b.Balance("200.00", kT0 + kHour);
  EXPECT_EQ(b.Alerts(), V());
  b.Balance("50.00", kT0 + 2 * kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:open"}));
  // A payout of the missing 150 seen 30 minutes later resolves it.
  b.Payout("150.00", kT0 + 2 * kHour + 30 * 60'000);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:resolved"}));
}

TEST(BalanceDropped, OnePayoutExplainsOneFallOnly) {
  Bench b(kT0);
  b.Balance("200.00", kT0);
  b.Payout("100.00", kT0 + 10 * 60'000);
  b.Balance("100.00", kT0 + 20 * 60'000);
  b.Balance("0.00", kT0 + 30 * 60'000);  // the same payout cannot explain this one too
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:open"}));
}

TEST(BalanceDropped, CurrenciesAreSeparateSeries) {
  Bench b(kT0);
  b.Balance("300.00", kT0, "USD");
  b.Balance("40.00", kT0 + 10 * 60'000, "EUR");  // not a fall from 300 USD
  b.Balance("310.00", kT0 + kHour, "USD");
  b.Balance("45.00", kT0 + 2 * kHour, "EUR");
  EXPECT_EQ(b.Alerts(), V());
  b.Payout("45.00", kT0 + 3 * kHour, "USD");  // a USD payout explains no EUR fall
  b.Balance("0.00", kT0 + 3 * kHour + 60'000, "EUR");
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:open"}));
}

TEST(BalanceDropped, LateObservationTakesItsPlaceInPageTime) {
  Bench b(kT0 + 5 * kHour);
  b.Balance("100.00", kT0 + 5 * kHour);
  // From a second browser, older in page time: 40 then 100 is growth, not a fall from 100 to 40.
  b.Balance("40.00", kT0 + kHour, "USD", /*late=*/true);
  EXPECT_EQ(b.Alerts(), V());
}

TEST(BalanceDropped, LatePayoutResolvesTheEpisode) {
  Bench b(kT0);
  b.Balance("400.00", kT0);
  b.Balance("100.00", kT0 + 2 * kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:open"}));
  b.clock().Advance(10 * kHour);
  b.Payout("300.00", kT0 + kHour, "USD", /*late=*/true);  // queued offline, sent hours later
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:resolved"}));
}

TEST(BalanceDropped, AWeekLaterAnOpenFallStaysOpenAndALatePayoutStillResolvesIt) {
  // On an event the balance rules read only the recent past (BalanceWindowStart); a fall outside it is
  // neither forgotten nor resolved by that, and a payout dated near the fall still explains it.
  Bench b(kT0);
  b.Balance("400.00", kT0);
  b.Balance("100.00", kT0 + kHour);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:open"}));
  for (int day = 1; day <= 7; ++day) b.Balance(std::to_string(100 + day) + ".00", kT0 + day * kDay);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:open"}));
  b.Payout("300.00", kT0 + 30 * 60'000, "USD", /*late=*/true);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:resolved"}));
}

// account_locked --------------------------------------------------------------------------------------------

TEST(AccountLocked, LockedOrSuspendedRaisesOncePerEpisode) {
  Bench b(kT0);
  b.State("active", kT0);
  b.State("locked", kT0 + kHour);
  b.State("logged_out", kT0 + 2 * kHour);
  b.State("locked", kT0 + 3 * kHour);
  EXPECT_EQ(b.Alerts(), V({"account_locked:open"}));
  EXPECT_EQ(b.pushes().size(), 1u);
  b.State("active", kT0 + 4 * kHour);
  EXPECT_EQ(b.Alerts(), V({"account_locked:resolved"}));
  b.State("suspended", kT0 + 5 * kHour);
  EXPECT_EQ(b.Alerts(), V({"account_locked:resolved", "account_locked:open"}));
}

// In one transaction (one batch of the host), the rules see the alerts raised and resolved by the events before
// (AlertService reads an account's unresolved alerts once per transaction and must forget them as they change).
TEST(AccountLocked, RaisedResolvedAndRaisedAgainWithinOneBatch) {
  Bench b(kT0);
  b.State("active", kT0);
  b.BeginBatch();
  b.State("locked", kT0 + kHour);
  b.State("active", kT0 + 2 * kHour);
  b.State("suspended", kT0 + 3 * kHour);
  b.State("suspended", kT0 + 4 * kHour);
  b.CommitBatch();
  EXPECT_EQ(b.Alerts(), V({"account_locked:resolved", "account_locked:open"}));
  EXPECT_EQ(b.pushes().size(), 3u);  // raised, resolved, raised
}

TEST(AccountLocked, LateLockFromBeforeAnActiveStateIsNoAlarm) {
  Bench b(kT0 + 10 * kHour);
  b.State("active", kT0 + 10 * kHour);
  b.State("locked", kT0 + kHour, /*late=*/true);
  EXPECT_EQ(b.Alerts(), V());
}

// access_lost -----------------------------------------------------------------------------------------------

TEST(AccessLost, LoggedOutRepeatedOverADay) {
  Bench b(kT0);
  b.State("active", kT0);
  b.State("logged_out", kT0 + kHour);
  b.State("logged_out", kT0 + 12 * kHour);
  EXPECT_EQ(b.Alerts(), V());
  b.State("logged_out", kT0 + 25 * kHour);
  EXPECT_EQ(b.Alerts(), V({"access_lost:open"}));
  b.State("active", kT0 + 26 * kHour);
  EXPECT_EQ(b.Alerts(), V({"access_lost:resolved"}));
}

TEST(AccessLost, LoggedOutOnceThenBackIsNothing) {
  Bench b(kT0);
  b.State("logged_out", kT0);
  b.State("active", kT0 + 2 * kHour);
  b.State("logged_out", kT0 + 30 * kHour);
  EXPECT_EQ(b.Alerts(), V());
}

// tasks_dried_up --------------------------------------------------------------------------------------------

TEST(TasksDriedUp, VisitsWithoutTasksForThreeDays) {
  Bench b(kT0);
  for (int d = 0; d < 10; ++d) b.Task("t" + std::to_string(d), kT0 + d * kDay);
  EpochMs last = kT0 + 9 * kDay + 30 * 60'000;
  b.Heartbeat(last + kDay, 0);
  b.Heartbeat(last + 2 * kDay, 0);
  EXPECT_EQ(b.Alerts(), V());
  b.Heartbeat(last + 3 * kDay, 0);
  EXPECT_EQ(b.Alerts(), V({"tasks_dried_up:open"}));
  EXPECT_NE(b.pushes().back()["alert"]["message"].get<std::string>().find("withdraw"), std::string::npos);
  b.Task("t-back", last + 4 * kDay);
  EXPECT_EQ(b.Alerts(), V({"tasks_dried_up:resolved"}));
}

TEST(TasksDriedUp, NotWithoutVisitsNorWithTasksOffered) {
  Bench b(kT0);
  b.Task("t1", kT0);
  b.AdvanceTo(kT0 + 5 * kDay, 6 * kHour);  // away: no visits, no alarm
  EXPECT_EQ(b.Alerts(), V());
  Bench c(kT0);
  c.Task("t1", kT0);
  c.Heartbeat(kT0 + 2 * kDay, 12);  // tasks offered: the worker chose not to take them
  c.Heartbeat(kT0 + 4 * kDay, 12);
  EXPECT_EQ(c.Alerts(), V());
}

TEST(TasksDriedUp, NotOnAnAccountWithoutRecentTasks) {
  Bench b(kT0);
  b.Task("old", kT0);
  b.Heartbeat(kT0 + 40 * kDay, 0);
  EXPECT_EQ(b.Alerts(), V());
  Bench never(kT0);
  never.Heartbeat(kT0, 0);
  never.Heartbeat(kT0 + 5 * kDay, 0);
  EXPECT_EQ(never.Alerts(), V());
}

TEST(TasksDriedUp, LateVisitsLandInTheirPlaceInPageTime) {
  Bench b(kT0);
  for (int d = 0; d < 10; ++d) b.Task("t" + std::to_string(d), kT0 + d * kDay);
  EpochMs last = kT0 + 9 * kDay + 30 * 60'000;
  b.Heartbeat(last + 3 * kDay, 0);
  EXPECT_EQ(b.Alerts(), V({"tasks_dried_up:open"}));
  // A visit from before, sent late: the latest visit is still the one three days on, the silence still holds.
  b.Heartbeat(last + kDay, 0);
  EXPECT_EQ(b.Alerts(), V({"tasks_dried_up:open"}));
  // A late visit that offered tasks moves the start of the silence: two days to the latest visit is not three.
  b.Heartbeat(last + kDay + kHour, 12);
  EXPECT_EQ(b.Alerts(), V({"tasks_dried_up:resolved"}));
}

// no_contact ------------------------------------------------------------------------------------------------

TEST(NoContact, SevenDaysOfSilenceWithUnpaidMoney) {
  Bench b(kT0);
  b.Balance("60.00", kT0);
  b.AdvanceTo(kT0 + 7 * kDay - kHour);
  EXPECT_EQ(b.Alerts(), V());
  b.AdvanceTo(kT0 + 7 * kDay);
  EXPECT_EQ(b.Alerts(), V({"no_contact:open"}));
  EXPECT_EQ(b.pushes().back()["alert"]["severity"], "info");
  b.Heartbeat(kT0 + 8 * kDay);
  EXPECT_EQ(b.Alerts(), V({"no_contact:resolved"}));
}

TEST(NoContact, AQueueReplayedAfterDaysOfflineNeitherResolvesNorRaisesAgain) {
  Bench b(kT0);
  b.Balance("60.00", kT0);
  b.AdvanceTo(kT0 + 10 * kDay);
  EXPECT_EQ(b.Alerts(), V({"no_contact:open"}));
  // Events from the first two days, sent now: still no contact for over a week.
  for (int h = 1; h <= 48; h += 6) b.Heartbeat(kT0 + h * kHour);
  EXPECT_EQ(b.Alerts(), V({"no_contact:open"}));
  b.Heartbeat(kT0 + 10 * kDay);
  EXPECT_EQ(b.Alerts(), V({"no_contact:resolved"}));
}

TEST(NoContact, NotWhenNothingIsOwed) {
  Bench b(kT0);
  b.Balance("0.00", kT0);
  b.Heartbeat(kT0);
  b.AdvanceTo(kT0 + 30 * kDay, kDay);
  EXPECT_EQ(b.Alerts(), V());
}

// unpaid_exposure -------------------------------------------------------------------------------------------

TEST(UnpaidExposure, AboveThresholdForMoreThanFourteenDays) {
  Bench b(kT0);
  b.Balance("99.99", kT0);
  b.Balance("100.00", kT0 + kDay);
  for (int d = 2; d <= 15; ++d) b.Balance(std::to_string(100 + d) + ".00", kT0 + d * kDay);
  EXPECT_EQ(b.Alerts(), V());
  b.AdvanceTo(kT0 + 15 * kDay + kHour);
  EXPECT_EQ(b.Alerts(), V({"unpaid_exposure:open"}));
  b.Payout("115.00", kT0 + 15 * kDay + 2 * kHour);
  b.Balance("0.00", kT0 + 15 * kDay + 2 * kHour + 60'000);
  EXPECT_EQ(b.Alerts(), V({"unpaid_exposure:resolved"}));
}

TEST(UnpaidExposure, ThresholdAndDaysPerAccountBeatTheDefaults) {
  Bench b(kT0);
  Ask(b, Request("config.set", {{"settings", {{"unpaid_threshold", "1000"}}}}));
  auto refused = protocol::DecodeRequest(Request("config.set", {{"settings", {{"unpaid_days", "3"}}}}).dump(), kT0);
  EXPECT_EQ(refused.status.field(), "settings.unpaid_days");  // a string, not an integer
  json get = Ask(b, Request("config.get", {{"platform", "dataannotation"}, {"account", "ana@example.org"}}));
  EXPECT_EQ(get["config"]["unpaid_threshold"], "1000");
  EXPECT_EQ(get["config"]["unpaid_days"], 14);
  Ask(b, Request("config.set", {{"platform", "dataannotation"}, {"account", "ana@example.org"},
                                {"settings", {{"unpaid_days", 3}}}}));
  b.Balance("500.00", kT0);
  b.AdvanceTo(kT0 + 4 * kDay);
  EXPECT_EQ(b.Alerts(), V());  // below the worker's 1000
  b.Balance("1200.00", kT0 + 4 * kDay);
  b.AdvanceTo(kT0 + 8 * kDay);
  EXPECT_EQ(b.Alerts(), V({"unpaid_exposure:open"}));  // 1200 since day 4, more than 3 days
}

// The service: queries, acknowledgement, the log, rebuild ---------------------------------------------------

TEST(AlertService, QueryAckAndTheLog) {
  Bench b(kT0);
  b.Balance("1312.50", kT0);
  b.State("locked", kT0 + kHour);
  b.Balance("0", kT0 + kHour + 60'000);
  json open = Ask(b, Request("query.alerts"));
  ASSERT_EQ(open["alerts"].size(), 2u);
  EXPECT_EQ(open["alerts"][0]["kind"], "account_locked");
  EXPECT_EQ(open["alerts"][1]["kind"], "balance_vanished");
  EXPECT_TRUE(open["next_after_id"].is_null());
  json page = Ask(b, Request("query.alerts", {{"limit", 1}}));
  EXPECT_EQ(page["alerts"].size(), 1u);
  EXPECT_EQ(page["next_after_id"], 1);

  json ack = Ask(b, Request("alert.ack", {{"alert_id", 1}}));
  EXPECT_EQ(ack["ok"], true);
  EXPECT_EQ(ack["alert"]["state"], "acknowledged");
  EXPECT_FALSE(ack["alert"]["acknowledged_at"].is_null());
  EXPECT_EQ(Ask(b, Request("query.alerts"))["alerts"].size(), 1u);
  EXPECT_EQ(Ask(b, Request("query.alerts", {{"state", "all"}}))["alerts"].size(), 2u);
  json missing = Ask(b, Request("alert.ack", {{"alert_id", 99}}));
  EXPECT_EQ(missing["ok"], false);
  EXPECT_EQ(missing["error"]["field"], "alert_id");

  store::EventLog log(b.db());
  auto acked = log.Read({std::nullopt, std::nullopt, std::string("alert.acknowledged"), std::nullopt, std::nullopt, 0, 10});
  ASSERT_TRUE(acked.ok());
  ASSERT_EQ(acked->size(), 1u);
  EXPECT_EQ((*acked)[0].id, "host:alert:1:acknowledged");
  EXPECT_EQ((*acked)[0].platform, "dataannotation");
  auto body = json::parse((*acked)[0].body);
  EXPECT_EQ(body["alert_id"], 1);
  EXPECT_EQ(body["at"], protocol::FormatUtc(b.clock().NowMs()));
  EXPECT_EQ((*acked)[0].body, body.dump());  // canonical
  auto report = store::VerifyLog(b.db());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->broken.empty());
}

TEST(AlertService, ConfigSetIsValidatedAndLogged) {
  Bench b(kT0);
  json bad = Ask(b, Request("config.get"));
  EXPECT_EQ(bad["config"], protocol::DefaultSettings());
  protocol::Request request{"q", "config.set", protocol::ConfigSet{{}, json{{"dried_up_days", 0}}}};
  std::vector<json> pushes;
  auto reply = b.alerts().HandleQuery(request, &pushes);
  EXPECT_EQ((*reply)["error"]["field"], "settings.dried_up_days");
  Ask(b, Request("config.set", {{"settings", {{"dried_up_days", 5}}}}));
  store::EventLog log(b.db());
  auto events = log.Read({std::nullopt, std::nullopt, std::string("config.set"), std::nullopt, std::nullopt, 0, 10});
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].platform, "temoin");
  EXPECT_EQ((*events)[0].account, "settings");
  EXPECT_EQ(Ask(b, Request("config.get", {{"platform", "x"}, {"account", "y"}}))["config"]["dried_up_days"], 5);
}

TEST(AlertService, RebuildRestoresAlertsAndSettingsExactly) {
  Bench b(kT0);
  Ask(b, Request("config.set", {{"settings", {{"no_contact_days", 3}}}}));
  Ask(b, Request("config.set", {{"platform", "dataannotation"}, {"account", "ana@example.org"},
                                {"settings", {{"drop_tolerance", "1.5"}}}}));
  b.Balance("700.00", kT0);
  b.Balance("600.00", kT0 + kHour);
  b.Balance("0.00", kT0 + 2 * kHour);
  b.Payout("600.00", kT0 + 2 * kHour + 60'000);
  b.State("locked", kT0 + 3 * kHour);
  Ask(b, Request("alert.ack", {{"alert_id", 1}}));
  b.Balance("5.00", kT0 + 4 * kHour);
  b.AdvanceTo(kT0 + 8 * kDay, kDay);
  std::string alerts = b.Dump("alerts"), settings = b.Dump("settings");
  EXPECT_NE(alerts, "");
  // Every event of the log has its place in the log's orders once caught up, the host's own alert and
  // configuration events included, and a rebuild places them all again.
  ASSERT_TRUE(LogFollower(b.db(), &b.alerts()).CatchUp(nullptr).ok());
  std::string by_account = b.Dump("events_of_account"), by_type = b.Dump("events_of_type");
  SQLite::Statement counts(b.db().sql(),
                           "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM events_of_account), "
                           "(SELECT COUNT(*) FROM events_of_type WHERE type = 'alert.raised')");
  ASSERT_TRUE(counts.executeStep());
  EXPECT_EQ(counts.getColumn(1).getInt64(), counts.getColumn(0).getInt64());
  EXPECT_GT(counts.getColumn(2).getInt64(), 0);
  store::Projections projections(b.db());
  ASSERT_TRUE(projections.Rebuild([&](const store::LoggedEvent& e) { return b.alerts().ReplayHostEvent(e); }).ok());
  EXPECT_EQ(b.Dump("alerts"), alerts);
  EXPECT_EQ(b.Dump("settings"), settings);
  EXPECT_EQ(b.Dump("events_of_account"), by_account);
  EXPECT_EQ(b.Dump("events_of_type"), by_type);
  // And the rules, run again, find nothing new to say.
  std::size_t pushes = b.pushes().size();
  b.RunTimers();
  EXPECT_EQ(b.pushes().size(), pushes);
}

}  // namespace
}  // namespace temoin::rules::testing
