// Scenario tests: realistic histories replayed on simulated weeks, asserting exactly which alerts fire, when,
// and which do not (a false alarm is a defect too). The host's timer is simulated by running the time-based
// rules every hour of simulated time.
#include <gtest/gtest.h>

#include <algorithm>

#include "rules/rules_test_util.h"

namespace temoin::rules::testing {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;

// A working day: visits (heartbeats), two tasks, the balance seen growing.
void WorkDay(Bench& b, EpochMs day, int n, std::int64_t* balance_cents) {
  EpochMs at = day + 9 * kHour;
  b.Heartbeat(at, 4);
  b.Task("t" + std::to_string(n) + "a", at + 60'000);
  b.Task("t" + std::to_string(n) + "b", at + kHour);
  *balance_cents += 4000;
  b.Balance(std::to_string(*balance_cents / 100) + "." + (*balance_cents % 100 < 10 ? "0" : "") +
                std::to_string(*balance_cents % 100),
            at + 2 * kHour);
}

// The story that made Témoin: a summer of work, a balance of $1,312, then the lockout on the day of the
// withdrawal. Expected: unpaid_exposure once the balance stayed above 100 for 14 days (the early warning),
// then on the last day account_locked and balance_vanished together, nothing else.
TEST(Scenario, SummerOfWorkEndingInALockout) {
  EpochMs june1 = T("2026-06-01T00:00:00Z");
  Bench b(june1);
  std::int64_t cents = 0;
  int n = 0;
  EpochMs day = june1;
  for (; cents < 131200; day += kDay) {
    if ((day - june1) / kDay % 7 == 6) {  // a day off each week
      b.AdvanceTo(day + 23 * kHour);
      continue;
    }
    WorkDay(b, day, n++, &cents);
    b.AdvanceTo(day + 23 * kHour);
  }
  // unpaid_exposure: the balance passed 100 USD on day 3 (120.00) and stayed above for more than 14 days.
  ASSERT_EQ(b.Alerts(), V({"unpaid_exposure:open"}));
  EXPECT_EQ(b.pushes().size(), 1u);
  // The day of the withdrawal: locked, and the balance gone.
  b.State("locked", day + 10 * kHour);
  b.Send({{"type", "balance.missing"}, {"detail", "no balance element"}}, day + 10 * kHour + 60'000);
  // The money is still owed (and still at risk): unpaid_exposure stays open beside the two critical alerts.
  EXPECT_EQ(b.Alerts(), V({"unpaid_exposure:open", "account_locked:open", "balance_vanished:open"}));
  ASSERT_EQ(b.pushes().size(), 3u);
  EXPECT_EQ(b.pushes()[1]["alert"]["kind"], "account_locked");
  EXPECT_EQ(b.pushes()[2]["alert"]["kind"], "balance_vanished");
  // Two more days with the timer running: nothing is raised twice, nothing else fires.
  b.AdvanceTo(day + 2 * kDay);
  EXPECT_EQ(b.Alerts(), V({"unpaid_exposure:open", "account_locked:open", "balance_vanished:open"}));
  EXPECT_EQ(b.pushes().size(), 3u);
}

// The page refreshed before the payout was seen: the fall raises at once, the payout 20 minutes later
// resolves it, and the resolution is pushed too.
TEST(Scenario, PayoutArrivingAfterTheBalanceRefresh) {
  EpochMs t0 = T("2026-07-14T07:30:00Z");
  Bench b(t0);
  b.Balance("1312.50", t0);
  b.Balance("0.00", t0 + 5 * 60'000);
  ASSERT_EQ(b.Alerts(), V({"balance_vanished:open"}));
  b.Payout("1312.50", t0 + 25 * 60'000);
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:resolved"}));
  ASSERT_EQ(b.pushes().size(), 2u);
  EXPECT_EQ(b.pushes()[0]["alert"]["state"], "open");
  EXPECT_EQ(b.pushes()[1]["alert"]["state"], "resolved");
  EXPECT_EQ(b.pushes()[1]["alert"]["id"], b.pushes()[0]["alert"]["id"]);
  // A week of normal work afterwards: nothing new.
  b.AdvanceTo(t0 + 6 * kDay);
  EXPECT_EQ(b.Alerts(), V({"balance_vanished:resolved"}));
}

// Two currencies on one account (a platform paying in USD and in EUR): each series on its own. A EUR
// withdrawal does not explain a USD fall, and a low EUR balance after a high USD one is not a fall.
TEST(Scenario, TwoCurrenciesOnOneAccount) {
  EpochMs t0 = T("2026-08-03T09:00:00Z");
  Bench b(t0);
  for (int d = 0; d < 5; ++d) {
    b.Balance(std::to_string(50 + 10 * d) + ".00", t0 + d * kDay, "USD");
    b.Balance(std::to_string(20 + 5 * d) + ".00", t0 + d * kDay + kHour, "EUR");
  }
  EXPECT_EQ(b.Alerts(), V());
  b.Payout("40.00", t0 + 5 * kDay, "EUR");
  b.Balance("0.00", t0 + 5 * kDay + 60'000, "EUR");  // EUR withdrawn: explained
  b.Balance("90.00", t0 + 5 * kDay + 2 * 60'000, "USD");
  EXPECT_EQ(b.Alerts(), V());
  b.Balance("30.00", t0 + 6 * kDay, "USD");  // USD fell by 60: no USD payout
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:open"}));
  b.Payout("60.00", t0 + 6 * kDay + 10 * 60'000, "EUR");  // wrong currency: still open
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:open"}));
}

// A platform that just stops offering tasks: the worker keeps visiting, tasks_available stays 0. Exactly one
// tasks_dried_up, on the third silent day; nothing before, and nothing from the days off before it.
TEST(Scenario, APlatformThatStopsOfferingTasks) {
  EpochMs t0 = T("2026-09-01T00:00:00Z");
  Bench b(t0);
  std::int64_t cents = 0;
  for (int d = 0; d < 20; ++d) {
    if (d % 7 == 5 || d % 7 == 6) {  // weekends off: two silent days are not a drought
      b.AdvanceTo(t0 + d * kDay + 23 * kHour, 6 * kHour);
      continue;
    }
    WorkDay(b, t0 + d * kDay, d, &cents);
    b.AdvanceTo(t0 + d * kDay + 23 * kHour, 6 * kHour);
  }
  b.Payout(std::to_string(cents / 100) + ".00", t0 + 19 * kDay + 20 * kHour);
  b.Balance("0.00", t0 + 19 * kDay + 20 * kHour + 60'000);
  // The balance stayed above 100 USD for more than 14 days (an early warning), then was withdrawn.
  ASSERT_EQ(b.Alerts(), V({"unpaid_exposure:resolved"}));
  std::size_t before = b.Alerts().size();
  for (int d = 20; d < 27; ++d) {
    for (int h = 9; h < 12; ++h) b.Heartbeat(t0 + d * kDay + h * kHour, 0);
    b.AdvanceTo(t0 + d * kDay + 23 * kHour, 6 * kHour);
    auto alerts = b.Alerts();
    std::size_t dried = std::count(alerts.begin(), alerts.end(), "tasks_dried_up:open");
    EXPECT_EQ(dried, d < 21 ? 0u : 1u) << "day " << d;
  }
  EXPECT_EQ(b.Alerts().size(), before + 1);
}

// A queue replayed late: the extension was offline for hours; a second browser sent newer facts first. Page
// time decides: the replayed older observations are no fall, and a late payout explains a fall that the live
// browser reported.
TEST(Scenario, AQueueReplayedLate) {
  EpochMs t0 = T("2026-10-05T08:00:00Z");
  Bench b(t0);
  b.Balance("200.00", t0);
  // Live (a second browser), 10:05: the balance after a withdrawal the live browser did not see.
  b.Balance("20.00", t0 + 2 * kHour + 5 * 60'000);
  ASSERT_EQ(b.Alerts(), V({"balance_dropped:open"}));
  // 14:00: the offline queue arrives, all of it older in page time.
  b.clock().Set(t0 + 6 * kHour);
  b.Balance("150.00", t0 - kHour, "USD", /*late=*/true);  // 07:00: before the 200, so growth, not a fall
  b.Payout("180.00", t0 + 2 * kHour, "USD", true);        // 10:00: the withdrawal
  b.State("active", t0 + 2 * kHour + 60'000, true);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:resolved"}));
  // The same queue replayed once more in one go (the extension did not get the acks) changes nothing.
  std::size_t pushes = b.pushes().size();
  b.Balance("150.00", t0 - kHour, "USD", true);
  EXPECT_EQ(b.Alerts(), V({"balance_dropped:resolved"}));
  EXPECT_EQ(b.pushes().size(), pushes);
}

}  // namespace
}  // namespace temoin::rules::testing
