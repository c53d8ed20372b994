// The derived tables against models written the plain way, over random events, late and repeated:
// - task rows: for each task, the earliest start, submit and abandon in page time (the first to arrive wins a
//   tie), each optional field taken from the event that set its time unless that event left it out, and the
//   day the task counts on;
// - activity: the union of every kept observation's interval, with its running totals, when events come in
//   batches of one transaction (as the host stores them) and some are rolled back.
#include "store/projections.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "protocol/money.h"
#include "store/store_test_util.h"

namespace temoin::store {
namespace {

using nlohmann::json;
using testing::MemoryDatabase;
using testing::Store;

struct ModelTask {
  std::optional<EpochMs> started_ms, submitted_ms, abandoned_ms;
  std::optional<std::int64_t> start_seq, submit_seq, duration_s, earned_minor, rate_minor, rate_per_hour;
  std::optional<std::string> project, earned_currency, rate_currency;
};

std::string Text(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "NULL"; }
std::string Text(const std::optional<std::string>& v) { return v ? *v : "NULL"; }

std::string Row(const ModelTask& t) {
  std::optional<EpochMs> counted = t.submitted_ms ? t.submitted_ms : t.started_ms ? t.started_ms : t.abandoned_ms;
  return Text(t.started_ms) + "|" + Text(t.start_seq) + "|" + Text(t.submitted_ms) + "|" + Text(t.submit_seq) + "|" +
         Text(t.abandoned_ms) + "|" + Text(counted) + "|" + Text(t.duration_s) + "|" + Text(t.earned_minor) + "|" +
         Text(t.earned_currency) + "|" + Text(t.rate_minor) + "|" + Text(t.rate_currency) + "|" +
         Text(t.rate_per_hour) + "|" + Text(t.project);
}

// Each event in a transaction of its own, its task row written at once; or, as the log follower has it, in
// batches whose rows are held in memory and written once, before the commit.
void ExpectTaskRowsKeepTheEarliestObservations(Projections::AccountWrites writes) {
  const bool at_flush = writes == Projections::AccountWrites::kAtFlush;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 random(seed);
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    auto db = MemoryDatabase();
    std::map<std::string, ModelTask> model;
    const EpochMs t0 = *protocol::ParseRfc3339("2026-07-01T08:00:00Z");
    Projections batch(*db, writes);
    int left_in_batch = 0;
    for (int i = 0; i < 120; ++i) {
      const std::string task = "t" + std::to_string(pick(6));
      const EpochMs at = t0 + pick(40) * 60'000;  // few distinct times: ties and late events are common
      json m{{"id", "e" + std::to_string(i)}, {"task_id", task}, {"at", protocol::FormatUtc(at)}};
      const int kind = pick(3);
      m["type"] = kind == 0 ? "task.start" : kind == 1 ? "task.submit" : "task.abandon";
      if (kind == 0) {
        if (pick(2)) m["project"] = "p" + std::to_string(pick(3));
        if (pick(2)) m["rate"] = {{"amount", std::to_string(10 + pick(5)) + ".00"}, {"currency", pick(2) ? "USD" : "EUR"},
                                  {"per", pick(2) ? "hour" : "task"}};
      } else if (kind == 1) {
        if (pick(2)) m["duration_s"] = pick(4000);
        if (pick(2)) m["earned"] = {{"amount", std::to_string(pick(30)) + ".50"}, {"currency", "USD"}};
      }
      AppendResult appended;
      if (!at_flush) {
        appended = Store(*db, m);
      } else {
        if (left_in_batch == 0) {
          ASSERT_TRUE(db->Begin().ok());
          left_in_batch = 1 + pick(30);
        }
        const protocol::Event e = testing::MakeEvent(m);
        auto logged = EventLog(*db).Append({e.id, std::string(protocol::EventTypeName(e.type)), e.platform,
                                            e.account, e.at_text, e.at, e.canonical},
                                           1'780'000'000'000);
        ASSERT_TRUE(logged.ok()) << logged.status().ToString();
        appended = *logged;
        ASSERT_TRUE(batch.Apply(e, appended.seq).ok());
        if (--left_in_batch == 0 || i == 119) {
          ASSERT_TRUE(batch.Flush().ok());
          ASSERT_TRUE(db->Commit().ok());
          left_in_batch = 0;
        }
      }
      ASSERT_FALSE(appended.duplicate);

      ModelTask& t = model[task];
      auto earlier = [&](const std::optional<EpochMs>& held) { return !held || *held > at; };
      if (kind == 0 && earlier(t.started_ms)) {
        t.started_ms = at;
        t.start_seq = appended.seq;
        if (m.contains("project")) t.project = m["project"].get<std::string>();
        if (m.contains("rate")) {
          t.rate_minor = *protocol::ParseAmount(m["rate"]["amount"].get<std::string>(), 2);
          t.rate_currency = m["rate"]["currency"].get<std::string>();
          t.rate_per_hour = m["rate"]["per"] == "hour" ? 1 : 0;
        }
      } else if (kind == 1 && earlier(t.submitted_ms)) {
        t.submitted_ms = at;
        t.submit_seq = appended.seq;
        if (m.contains("duration_s")) t.duration_s = m["duration_s"].get<std::int64_t>();
        if (m.contains("earned")) {
          t.earned_minor = *protocol::ParseAmount(m["earned"]["amount"].get<std::string>(), 2);
          t.earned_currency = "USD";
        }
      } else if (kind == 2 && earlier(t.abandoned_ms)) {
        t.abandoned_ms = at;
      }
    }

    SQLite::Statement q(db->sql(),
                        "SELECT task_id, started_ms, start_seq, submitted_ms, submit_seq, abandoned_ms, counted_ms, "
                        "duration_s, earned_minor, earned_currency, rate_minor, rate_currency, rate_per_hour, project "
                        "FROM tasks ORDER BY task_id");
    std::map<std::string, std::string> stored;
    while (q.executeStep()) {
      std::string row;
      for (int i = 1; i < q.getColumnCount(); ++i) {
        row += (q.getColumn(i).isNull() ? "NULL" : q.getColumn(i).getString()) + (i + 1 < q.getColumnCount() ? "|" : "");
      }
      stored[q.getColumn(0).getString()] = row;
    }
    std::map<std::string, std::string> expected;
    for (const auto& [task, t] : model) expected[task] = Row(t);
    ASSERT_EQ(stored, expected) << "seed " << seed;
  }
}

TEST(Projections, TaskRowsWrittenPerEventKeepTheEarliestObservationsWhateverTheArrivalOrder) {
  ExpectTaskRowsKeepTheEarliestObservations(Projections::AccountWrites::kEachEvent);
}

TEST(Projections, TaskRowsWrittenOncePerBatchKeepTheEarliestObservationsWhateverTheArrivalOrder) {
  ExpectTaskRowsKeepTheEarliestObservations(Projections::AccountWrites::kAtFlush);
}

// The union of [start, end) intervals, merged when they overlap or touch, as store/activity_intervals.h keeps them.
std::vector<std::pair<EpochMs, EpochMs>> Union(std::vector<std::pair<EpochMs, EpochMs>> intervals) {
  std::sort(intervals.begin(), intervals.end());
  std::vector<std::pair<EpochMs, EpochMs>> merged;
  for (const auto& [start, end] : intervals) {
    if (!merged.empty() && start <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, end);
    } else {
      merged.emplace_back(start, end);
    }
  }
  return merged;
}

// Each event's intervals written as it is applied, some events undone by their savepoint; or, as the log
// follower has it, a batch's intervals merged in memory and written once, before the commit.
void ExpectActivityIsTheUnionOfWhatWasKept(Projections::AccountWrites writes) {
  const bool at_flush = writes == Projections::AccountWrites::kAtFlush;
  for (unsigned seed = 1; seed <= 12; ++seed) {
    std::mt19937 random(seed);
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    auto db = MemoryDatabase();
    const EpochMs t0 = *protocol::ParseRfc3339("2026-07-01T08:00:00Z");
    std::map<std::string, std::vector<std::pair<EpochMs, EpochMs>>> kept;  // account -> observed intervals
    std::map<std::string, EpochMs> clock;                                  // account -> its latest page time
    int id = 0;
    for (int batch = 0; batch < 30; ++batch) {
      ASSERT_TRUE(db->Begin().ok());
      EventLog log(*db);
      Projections projections(*db, writes);  // one per batch, as the log follower has it
      const int size = 1 + pick(40);
      for (int i = 0; i < size; ++i) {
        const std::string account = pick(4) == 0 ? "b" : "a";  // mostly one account, as a worker's session
        EpochMs& now = clock.try_emplace(account, t0).first->second;
        now += pick(3) * 30'000;                                 // heartbeats every 0 to 60 s: they chain
        if (pick(5) == 0) now += (1 + pick(10)) * 60'000;        // sometimes a gap
        EpochMs at = pick(8) == 0 ? now - pick(120) * 60'000 : now;  // sometimes late, from up to 2 h before
        std::vector<json> messages;
        std::pair<EpochMs, EpochMs> interval{at, at + kHeartbeatCoverMs};
        if (pick(6) == 0) {
          const std::string task = "t" + std::to_string(++id);
          const EpochMs submit = at + (1 + pick(20)) * 60'000;
          messages.push_back({{"type", "task.start"}, {"task_id", task}, {"at", protocol::FormatUtc(at)}});
          messages.push_back({{"type", "task.submit"}, {"task_id", task}, {"at", protocol::FormatUtc(submit)}});
          interval = {at, submit};
        } else {
          messages.push_back({{"type", "heartbeat"}, {"at", protocol::FormatUtc(at)}});
        }
        const bool roll_back = pick(10) == 0 && !at_flush;  // a failing event undone by its savepoint
        if (roll_back) {
          ASSERT_TRUE(db->Savepoint("event").ok());
        }
        for (json& m : messages) {
          m["id"] = "e" + std::to_string(++id);
          m["account"] = account;
          const protocol::Event e = testing::MakeEvent(m);
          auto appended = log.Append({e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account,
                                      e.at_text, e.at, e.canonical},
                                     1'780'000'000'000);
          ASSERT_TRUE(appended.ok()) << appended.status().ToString();
          ASSERT_TRUE(projections.Apply(e, appended->seq).ok());
        }
        if (roll_back) {
          db->RollbackTo("event");
        } else {
          kept[account].push_back(interval);
        }
      }
      if (at_flush) ASSERT_TRUE(projections.Flush().ok());
      ASSERT_TRUE(db->Commit().ok());

      for (const auto& [account, intervals] : kept) {
        std::vector<std::array<std::int64_t, 3>> stored;  // start, end, before
        SQLite::Statement q(db->sql(), "SELECT start_ms, end_ms, before_ms FROM activity WHERE account = ? "
                                       "ORDER BY start_ms");
        q.bind(1, account);
        while (q.executeStep()) stored.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64()});
        std::vector<std::array<std::int64_t, 3>> expected;
        std::int64_t before = 0;
        for (const auto& [start, end] : Union(intervals)) {
          expected.push_back({start, end, before});
          before += end - start;
        }
        ASSERT_EQ(stored, expected) << "seed " << seed << ", batch " << batch << ", account " << account;
      }
    }
  }
}

TEST(Projections, ActivityWrittenPerEventIsTheUnionOfWhatWasKept) {
  ExpectActivityIsTheUnionOfWhatWasKept(Projections::AccountWrites::kEachEvent);
}

TEST(Projections, ActivityWrittenOncePerBatchIsTheUnionOfWhatWasKept) {
  ExpectActivityIsTheUnionOfWhatWasKept(Projections::AccountWrites::kAtFlush);
}

}  // namespace
}  // namespace temoin::store
