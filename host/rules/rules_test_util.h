// A test bench for the alert rules: an in-memory database, a FakeClock and the AlertService, fed with events
// the way the host does it (append and commit, then the catch-up projects and runs the rules: the pushes).
#ifndef TEMOIN_RULES_RULES_TEST_UTIL_H_
#define TEMOIN_RULES_RULES_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>

#include "protocol/decode.h"
#include "protocol/timestamp.h"
#include "rules/alert_service.h"
#include "rules/log_follower.h"
#include "store/database.h"
#include "store/event_log.h"
#include "store/projections.h"

namespace temoin::rules::testing {

inline constexpr EpochMs kHour = 3'600'000;
inline constexpr EpochMs kDay = 24 * kHour;

inline EpochMs T(const char* rfc3339) { return *protocol::ParseRfc3339(rfc3339); }

class Bench {
 public:
  explicit Bench(EpochMs start = T("2026-06-01T08:00:00Z"))
      : clock_(start),
        db_(std::move(store::Database::Open(":memory:")).value()),
        alerts_(*db_, clock_),
        follower_(*db_, &alerts_) {}

  FakeClock& clock() { return clock_; }
  store::Database& db() { return *db_; }
  AlertService& alerts() { return alerts_; }

  // Sends one event seen by the page at `at` (the host clock is moved to `at` first unless `late`, when the
  // clock stays where it is: a queue replayed later). Returns its seq; pushes accumulate in pushes().
  std::int64_t Send(nlohmann::json message, EpochMs at, bool late = false) {
    if (!late && at > clock_.NowMs()) clock_.Set(at);
    message["v"] = 1;
    message["id"] = "e" + std::to_string(++counter_);
    if (!message.contains("platform")) message["platform"] = "dataannotation";
    if (!message.contains("account")) message["account"] = "ana@example.org";
    message["at"] = protocol::FormatUtc(at);
    auto out = protocol::DecodeRequest(message.dump(), clock_.NowMs());
    EXPECT_TRUE(out.status.ok()) << out.status.ToString() << " for " << message.dump();
    if (!out.status.ok()) return 0;
    const auto& e = std::get<protocol::Event>(out.request->body);
    if (!in_batch_) {
      EXPECT_TRUE(db_->Begin().ok());
    }
    store::EventLog log(*db_);
    auto appended = log.Append({e.id, std::string(protocol::EventTypeName(e.type)), e.platform, e.account, e.at_text,
                                e.at, e.canonical},
                               clock_.NowMs());
    EXPECT_TRUE(appended.ok()) << appended.status().ToString();
    if (!in_batch_) {
      EXPECT_TRUE(db_->Commit().ok());
    }
    // Then the derived tables and the rules follow the log, as the host's catch-up does (in the batch's
    // transaction between BeginBatch and CommitBatch).
    if (!appended->duplicate) follower_.Remember(appended->seq, e);
    std::vector<nlohmann::json> batch;
    Status s = follower_.CatchUp(&batch);
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (auto& p : batch) pushes_.push_back(std::move(p));
    return appended->seq;
  }

  // Between the two, every event sent shares one transaction, as the events of one batch do in the host.
  void BeginBatch() {
    EXPECT_TRUE(db_->Begin().ok());
    in_batch_ = true;
  }
  void CommitBatch() {
    EXPECT_TRUE(db_->Commit().ok());
    in_batch_ = false;
  }

  std::int64_t Balance(const std::string& amount, EpochMs at, const std::string& currency = "USD", bool late = false) {
    return Send({{"type", "balance"}, {"amount", amount}, {"currency", currency}}, at, late);
  }
  std::int64_t Payout(const std::string& amount, EpochMs at, const std::string& currency = "USD", bool late = false) {
    return Send({{"type", "payout"}, {"amount", amount}, {"currency", currency}}, at, late);
  }
  std::int64_t State(const std::string& state, EpochMs at, bool late = false) {
    return Send({{"type", "account.status"}, {"state", state}}, at, late);
  }
  std::int64_t Heartbeat(EpochMs at, std::optional<int> tasks_available = std::nullopt) {
    nlohmann::json m{{"type", "heartbeat"}};
    if (tasks_available) m["tasks_available"] = *tasks_available;
    return Send(m, at);
  }
  std::int64_t Task(const std::string& id, EpochMs at, bool late = false) {
    Send({{"type", "task.start"}, {"task_id", id}}, at, late);
    return Send({{"type", "task.submit"}, {"task_id", id}, {"earned", {{"amount", "20.00"}, {"currency", "USD"}}}},
                at + 30 * 60'000, late);
  }

  // Moves the clock to `to`, running the time-based rules every `step` (the host's timer, temoin check).
  void AdvanceTo(EpochMs to, EpochMs step = kHour) {
    while (clock_.NowMs() + step <= to) {
      clock_.Advance(step);
      RunTimers();
    }
    clock_.Set(to);
    RunTimers();
  }
  void RunTimers() {
    std::vector<nlohmann::json> batch;
    Status s = alerts_.RunTimeRules(&batch);
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (auto& p : batch) pushes_.push_back(std::move(p));
  }

  const std::vector<nlohmann::json>& pushes() const { return pushes_; }

  // "kind:state" of every alert in id order, e.g. {"balance_vanished:open"}.
  std::vector<std::string> Alerts() {
    std::vector<std::string> out;
    SQLite::Statement q(db_->sql(), "SELECT kind, state FROM alerts ORDER BY id");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString() + ":" + q.getColumn(1).getString());
    return out;
  }
  // One alert row as JSON text (for exact comparisons).
  std::string Dump(const char* table) {
    std::string out;
    SQLite::Statement q(db_->sql(), std::string("SELECT * FROM ") + table + " ORDER BY 1, 2, 3");
    while (q.executeStep()) {
      for (int i = 0; i < q.getColumnCount(); ++i) out += q.getColumn(i).getString() + "|";
      out += "\n";
    }
    return out;
  }

 private:
  FakeClock clock_;
  std::unique_ptr<store::Database> db_;
  AlertService alerts_;
  LogFollower follower_;
  std::vector<nlohmann::json> pushes_;
  int counter_ = 0;
  bool in_batch_ = false;
};

}  // namespace temoin::rules::testing

#endif  // TEMOIN_RULES_RULES_TEST_UTIL_H_
