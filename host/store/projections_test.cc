// The task rows of the derived tables against a model written the plain way: for each task, the earliest start,
// submit and abandon in page time (the first to arrive wins a tie), each optional field taken from the event
// that set its time unless that event left it out, and the day the task counts on. Random events, late and
// repeated, in random arrival order.
#include "store/projections.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>

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

TEST(Projections, TaskRowsKeepTheEarliestObservationsWhateverTheArrivalOrder) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 random(seed);
    auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
    auto db = MemoryDatabase();
    std::map<std::string, ModelTask> model;
    const EpochMs t0 = *protocol::ParseRfc3339("2026-07-01T08:00:00Z");
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
      auto appended = Store(*db, m);
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

}  // namespace
}  // namespace temoin::store
