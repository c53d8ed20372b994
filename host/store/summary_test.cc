#include "store/summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "protocol/reply.h"
#include "store/store_test_util.h"

namespace temoin::store {
namespace {

using nlohmann::json;
using testing::MemoryDatabase;
using testing::Store;

// The worker's clock: Tuesday 2026-07-14, 18:00 in Paris (UTC+2).
const EpochMs kNow = *protocol::ParseRfc3339("2026-07-14T18:00:00+02:00");

int counter = 0;
json Ev(const std::string& type, json fields) {
  fields["type"] = type;
  fields["id"] = "ev-" + std::to_string(++counter);
  return fields;
}

// The single summary row (by value: the Result it comes from is a temporary).
AccountSummary Only(const Result<std::vector<AccountSummary>>& rows) {
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 1u);
  return rows->at(0);
}

TEST(Summary, TodayAndWeekCountTasksTimeAndEarnings) {
  auto db = MemoryDatabase();
  FakeClock clock(kNow, 7200);
  // Today: a task of 30 min paid $12.50, with 10 min of waiting before it (heartbeats).
  for (int m = 0; m < 10; ++m) {
    Store(*db, Ev("heartbeat", {{"at", "2026-07-14T09:" + std::string(m < 10 ? "0" : "") + std::to_string(m) + ":00+02:00"},
                                {"tasks_available", 0}}));
  }
  Store(*db, Ev("task.start", {{"task_id", "t1"}, {"at", "2026-07-14T09:10:00+02:00"},
                               {"rate", {{"amount", "25.00"}, {"currency", "USD"}, {"per", "hour"}}}}));
  Store(*db, Ev("task.submit", {{"task_id", "t1"}, {"at", "2026-07-14T09:40:00+02:00"}, {"duration_s", 1800},
                                {"earned", {{"amount", "12.50"}, {"currency", "USD"}}}}));
  // Three days ago: a task without `earned`, estimated from its hourly rate (1 h at $20).
  Store(*db, Ev("task.start", {{"task_id", "t0"}, {"at", "2026-07-11T10:00:00+02:00"},
                               {"rate", {{"amount", "20.00"}, {"currency", "USD"}, {"per", "hour"}}}}));
  Store(*db, Ev("task.submit", {{"task_id", "t0"}, {"at", "2026-07-11T11:00:00+02:00"}}));
  // Eight days ago: outside the week.
  Store(*db, Ev("task.submit", {{"task_id", "old"}, {"at", "2026-07-06T11:00:00+02:00"}, {"duration_s", 600},
                                {"earned", {{"amount", "5.00"}, {"currency", "USD"}}}}));

  const AccountSummary row = Only(Summarize(*db, clock));
  EXPECT_EQ(*row.currency, "USD");
  EXPECT_EQ(row.today.tasks, 1);
  EXPECT_EQ(row.today.task_seconds, 1800);
  EXPECT_EQ(row.today.platform_seconds, 40 * 60);  // 10 min waiting + 30 min on the task
  EXPECT_EQ(row.today.earned_minor, 1250);
  EXPECT_FALSE(row.today.earned_estimated);
  EXPECT_EQ(*row.today.effective_hourly_minor, 1875);  // $12.50 over 40 minutes
  EXPECT_EQ(*row.today.advertised_hourly_minor, 2500);
  EXPECT_EQ(row.week.tasks, 2);
  EXPECT_EQ(row.week.earned_minor, 1250 + 2000);
  EXPECT_TRUE(row.week.earned_estimated);
  EXPECT_EQ(row.week.task_seconds, 1800 + 3600);
  EXPECT_EQ(row.week.platform_seconds, 40 * 60 + 60 * 60);
  json wire = SummaryToJson(row);
  EXPECT_EQ(wire["today"]["earned"], "12.50");
  EXPECT_EQ(wire["today"]["effective_hourly"], "18.75");
  EXPECT_EQ(wire["state"], "active");
}

TEST(Summary, TwoTabsAndTwoBrowsersDoNotCountTwice) {
  auto db = MemoryDatabase();
  FakeClock clock(kNow, 7200);
  // Two tabs send heartbeats 30 s apart for five minutes: still five and a half minutes on the platform.
  for (int m = 0; m < 5; ++m) {
    Store(*db, Ev("heartbeat", {{"at", "2026-07-14T10:0" + std::to_string(m) + ":00+02:00"}}));
    Store(*db, Ev("heartbeat", {{"at", "2026-07-14T10:0" + std::to_string(m) + ":30+02:00"}}));
  }
  // A task inside that time adds nothing; the same task's pages seen again add nothing either.
  Store(*db, Ev("task.start", {{"task_id", "t"}, {"at", "2026-07-14T10:01:00+02:00"}}));
  Store(*db, Ev("task.start", {{"task_id", "t"}, {"at", "2026-07-14T10:02:00+02:00"}}));
  Store(*db, Ev("task.submit", {{"task_id", "t"}, {"at", "2026-07-14T10:04:00+02:00"}}));
  Store(*db, Ev("task.submit", {{"task_id", "t"}, {"at", "2026-07-14T10:04:30+02:00"}}));
  const AccountSummary row = Only(Summarize(*db, clock));
  EXPECT_EQ(row.today.platform_seconds, 5 * 60 + 30);
  EXPECT_EQ(row.today.tasks, 1);
  EXPECT_EQ(row.today.task_seconds, 180);  // first start to first submit
}

TEST(Summary, BalanceUnpaidSinceAndLateObservations) {
  auto db = MemoryDatabase();
  FakeClock clock(kNow, 7200);
  Store(*db, Ev("balance", {{"at", "2026-07-01T10:00:00+02:00"}, {"amount", "50.00"}, {"currency", "USD"}}));
  Store(*db, Ev("balance", {{"at", "2026-07-05T10:00:00+02:00"}, {"amount", "0.00"}, {"currency", "USD"}}));
  Store(*db, Ev("balance", {{"at", "2026-07-08T10:00:00+02:00"}, {"amount", "20.00"}, {"currency", "USD"}}));
  Store(*db, Ev("balance", {{"at", "2026-07-14T10:00:00+02:00"}, {"amount", "80.00"}, {"currency", "USD"},
                            {"pending", "4.00"}}));
  // Replayed late from an offline queue: an older observation must not become "the latest".
  Store(*db, Ev("balance", {{"at", "2026-07-10T10:00:00+02:00"}, {"amount", "40.00"}, {"currency", "USD"}}));
  const AccountSummary row = Only(Summarize(*db, clock));
  EXPECT_EQ(*row.balance_minor, 8000);
  EXPECT_EQ(*row.pending_minor, 400);
  EXPECT_EQ(*row.balance_at, "2026-07-14T10:00:00+02:00");
  EXPECT_EQ(*row.unpaid_since, "2026-07-08T10:00:00+02:00");

  auto history = BalanceHistory(*db, clock, "dataannotation", "ana@example.org", "USD", 30);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 5u);
  EXPECT_EQ((*history)[0].day, "2026-07-01");
  EXPECT_EQ((*history)[3].day, "2026-07-10");
  EXPECT_EQ((*history)[4].balance_minor, 8000);
}

TEST(Summary, TwoCurrenciesAreTwoRowsAndStatusIsTheLatestInPageTime) {
  auto db = MemoryDatabase();
  FakeClock clock(kNow, 7200);
  Store(*db, Ev("balance", {{"at", "2026-07-14T10:00:00+02:00"}, {"amount", "10.00"}, {"currency", "USD"}}));
  Store(*db, Ev("balance", {{"at", "2026-07-14T10:00:00+02:00"}, {"amount", "7.00"}, {"currency", "GBP"}}));
  Store(*db, Ev("account.status", {{"at", "2026-07-14T11:00:00+02:00"}, {"state", "locked"}}));
  Store(*db, Ev("account.status", {{"at", "2026-07-14T09:00:00+02:00"}, {"state", "active"}}));  // late
  auto rows = *Summarize(*db, clock);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(*rows[0].currency, "GBP");
  EXPECT_EQ(*rows[1].currency, "USD");
  EXPECT_EQ(rows[0].state, "locked");
  EXPECT_EQ(*rows[0].state_at, "2026-07-14T11:00:00+02:00");
}

TEST(Summary, AnAccountWithoutMoneyHasOneRowWithoutCurrency) {
  auto db = MemoryDatabase();
  FakeClock clock(kNow, 7200);
  Store(*db, Ev("heartbeat", {{"at", "2026-07-14T10:00:00+02:00"}}));
  const AccountSummary row = Only(Summarize(*db, clock));
  EXPECT_FALSE(row.currency.has_value());
  EXPECT_EQ(SummaryToJson(row)["currency"], nullptr);
  EXPECT_EQ(SummaryToJson(row)["today"]["earned"], nullptr);
  EXPECT_EQ(row.today.platform_seconds, 60);
}

// Schema 3 keeps a running total on each activity interval (before_ms) and the summary reads platform time from
// it. Late, overlapping and bridging intervals arrive in a shuffled order; after every event the totals must
// equal the lengths of the earlier intervals, and the summary must equal the time summed interval by interval.
TEST(Summary, PlatformTimeFromRunningTotalsMatchesTheIntervals) {
  auto db = MemoryDatabase();
  FakeClock clock(kNow, 7200);
  const EpochMs week_start = *protocol::ParseRfc3339("2026-07-08T00:00:00+02:00");
  const EpochMs today_start = *protocol::ParseRfc3339("2026-07-14T00:00:00+02:00");
  const EpochMs end = *protocol::ParseRfc3339("2026-07-15T00:00:00+02:00");
  std::vector<std::pair<std::string, std::string>> events;  // type and time, in the order they arrive
  // Heartbeats every 1-3 minutes across day boundaries, and tasks that bridge the gaps between them.
  std::uint32_t seed = 12345;
  auto next = [&seed](std::uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
  };
  for (int i = 0; i < 160; ++i) {
    EpochMs at = week_start - 3'600'000 + static_cast<EpochMs>(next(8 * 24 * 60)) * 60'000;
    events.emplace_back("heartbeat", protocol::FormatUtc(at));
  }
  for (std::size_t i = events.size(); i > 1; --i) std::swap(events[i - 1], events[next(static_cast<std::uint32_t>(i))]);
  auto interval_rows = [&] {
    std::vector<std::array<std::int64_t, 3>> rows;  // start, end, before
    SQLite::Statement q(db->sql(), "SELECT start_ms, end_ms, before_ms FROM activity ORDER BY start_ms");
    while (q.executeStep()) rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
    return rows;
  };
  int task = 0;
  for (const auto& [type, at] : events) {
    Store(*db, Ev(type, {{"at", at}}));
    if (next(4) == 0) {
      // A task of 1 to 90 minutes starting here, submitted later (its interval may swallow several).
      EpochMs start = *protocol::ParseRfc3339(at);
      std::string id = "task-" + std::to_string(++task);
      Store(*db, Ev("task.start", {{"task_id", id}, {"at", at}}));
      Store(*db, Ev("task.submit", {{"task_id", id}, {"at", protocol::FormatUtc(start + (1 + next(90)) * 60'000)}}));
    }
    std::int64_t expected_before = 0;
    for (const auto& [start, stop, before] : interval_rows()) {
      ASSERT_EQ(before, expected_before) << "the running total of the interval starting at " << start;
      expected_before += stop - start;
    }
  }
  auto seconds_in = [&](EpochMs from, EpochMs to) {
    std::int64_t ms = 0;
    for (const auto& [start, stop, before] : interval_rows()) ms += std::max<EpochMs>(0, std::min(stop, to) - std::max(start, from));
    return ms / 1000;
  };
  const AccountSummary row = Only(Summarize(*db, clock));
  EXPECT_GT(row.week.platform_seconds, row.today.platform_seconds);
  EXPECT_GT(row.today.platform_seconds, 0);
  EXPECT_EQ(row.today.platform_seconds, seconds_in(today_start, end));
  EXPECT_EQ(row.week.platform_seconds, seconds_in(week_start, end));
}

// The row is written as text in the order Serialize writes keys (sorted), with its strings escaped the same way:
// parsing it and writing it again with nlohmann changes nothing, with every field set and with none.
TEST(Summary, TheRowWrittenAsTextIsWhatSerializeWouldWrite) {
  AccountSummary full;
  full.platform = "prolific";
  full.account = "quote \" backslash \\ newline \n RTL \u202e emoji \U0001F642";
  full.currency = "GBP";
  full.balance_minor = 12345;
  full.pending_minor = 0;
  full.balance_at = "2026-07-14T09:00:00Z";
  full.unpaid_since = "2026-07-01T09:00:00Z";
  full.unpaid_since_ms = 1;
  full.today = {3, 1800, 2400, 1250, true, 2000, 1875};
  full.week = {9, 5400, 7200, 4000, false, std::nullopt, 2000};
  full.state = "locked";
  full.state_at = "2026-07-14T10:00:00Z";
  full.last_seen = "2026-07-14T10:00:00Z";
  full.open_alerts = 2;
  AccountSummary empty;
  empty.platform = "mturk";
  empty.account = "a";
  empty.state = "active";
  empty.last_seen = "2026-07-14T10:00:00Z";
  for (const AccountSummary& row : {full, empty}) {
    std::string text;
    AppendSummaryJson(&text, row);
    EXPECT_EQ(text, protocol::Serialize(json::parse(text)));
    EXPECT_EQ(SummaryToJson(row)["account"], row.account);
  }
  std::string text;
  AppendSummaryJson(&text, full);
  EXPECT_NE(text.find(R"("today":{"advertised_hourly":"20.00","earned":"12.50","earned_estimated":true,)"),
            std::string::npos)
      << text;
}

TEST(Projections, RebuildFromTheLogGivesTheSameSummary) {
  auto db = MemoryDatabase();
  FakeClock clock(kNow, 7200);
  Store(*db, Ev("balance", {{"at", "2026-07-14T10:00:00+02:00"}, {"amount", "10.00"}, {"currency", "USD"}}));
  Store(*db, Ev("task.start", {{"task_id", "t"}, {"at", "2026-07-14T10:01:00+02:00"}}));
  Store(*db, Ev("task.submit", {{"task_id", "t"}, {"at", "2026-07-14T10:31:00+02:00"},
                                {"earned", {{"amount", "9.00"}, {"currency", "USD"}}}}));
  Store(*db, Ev("payout", {{"at", "2026-07-14T11:00:00+02:00"}, {"amount", "10.00"}, {"currency", "USD"}, {"reference", "r"}}));
  Store(*db, Ev("payout", {{"at", "2026-07-14T11:05:00+02:00"}, {"amount", "10.00"}, {"currency", "USD"}, {"reference", "r"}}));
  EXPECT_EQ(db->sql().execAndGet("SELECT COUNT(*) FROM payouts").getInt(), 1) << "a payout seen twice is one payout";
  json before = SummaryToJson(Only(Summarize(*db, clock)));
  db->sql().exec("DELETE FROM tasks; DELETE FROM balance_series; DELETE FROM activity; DELETE FROM accounts");
  Projections projections(*db);
  ASSERT_TRUE(projections.Rebuild(nullptr).ok());
  EXPECT_EQ(SummaryToJson(Only(Summarize(*db, clock))), before);
  EXPECT_EQ(db->sql().execAndGet("SELECT COUNT(*) FROM payouts").getInt(), 1);
}

}  // namespace
}  // namespace temoin::store
