#include "cli/demo_history.h"

#include <random>
#include <string>

#include "protocol/money.h"
#include "protocol/timestamp.h"

namespace temoin::cli {

namespace {

using nlohmann::json;

class HistoryWriter {
 public:
  HistoryWriter(const Clock& clock, int days) : clock_(clock), now_(clock.NowMs()), days_(days), rng_(20260614) {}

  std::vector<json> Write() {
    std::int64_t today = LocalDay(clock_, now_);
    for (std::int64_t day = today - days_ + 1; day <= today; ++day) {
      int index = static_cast<int>(day - (today - days_ + 1));
      WorkDataAnnotation(day, index);
      WorkProlific(day, index);
    }
    return std::move(events_);
  }

 private:
  int Uniform(int lo, int hi) { return lo + static_cast<int>(rng_() % static_cast<unsigned>(hi - lo + 1)); }

  std::string At(EpochMs at) const { return protocol::FormatWithOffset(at, clock_.UtcOffsetSeconds(at)); }

  bool Add(json event, EpochMs at) {
    if (at > now_) return false;  // nothing from the future of today
    event["v"] = 1;
    event["id"] = "demo-" + std::to_string(events_.size() + 1);
    event["at"] = At(at);
    events_.push_back(std::move(event));
    return true;
  }

  void Heartbeats(const char* platform, const char* account, EpochMs from, EpochMs to, int tasks_available) {
    for (EpochMs t = from; t < to; t += 60'000) {
      Add({{"type", "heartbeat"}, {"platform", platform}, {"account", account}, {"focused", true},
           {"tasks_available", tasks_available}},
          t);
    }
  }

  void WorkDataAnnotation(std::int64_t day, int index) {
    const char* platform = "dataannotation";
    const char* account = "sam.rivera@example.org";
    int weekday = static_cast<int>((day + 4) % 7);  // 0 = Sunday
    if (weekday == 6 || Uniform(0, 9) == 0) return;  // Saturdays off, and the odd day
    EpochMs t = LocalDayStart(clock_, day) + (8 * 60 + Uniform(0, 120)) * 60'000LL;
    // Waiting for tasks before the first one: part of the real hourly rate.
    EpochMs wait = Uniform(10, 40) * 60'000LL;
    Heartbeats(platform, account, t, t + wait, 0);
    t += wait;
    int tasks = Uniform(1, 3);
    for (int i = 0; i < tasks; ++i) {
      std::string task_id = "da-" + std::to_string(day) + "-" + std::to_string(i);
      int rate_cents = 2000 + 500 * Uniform(0, 4);
      int minutes = Uniform(20, 50);
      static const char* kProjects[] = {"Chatbot response rating", "Code review: Python", "Fact-checking",
                                        "Creative writing evaluation"};
      const char* project = kProjects[Uniform(0, 3)];
      Add({{"type", "task.start"}, {"platform", platform}, {"account", account}, {"task_id", task_id},
           {"project", project}, {"title", std::string(project) + " #" + std::to_string(i + 1)},
           {"url", "https://app.dataannotation.tech/workers/tasks/" + task_id},
           {"rate", {{"amount", protocol::FormatAmount(rate_cents, 2)}, {"currency", "USD"}, {"per", "hour"}}}},
          t);
      Heartbeats(platform, account, t, t + minutes * 60'000LL, 3);
      EpochMs end = t + minutes * 60'000LL;
      std::int64_t earned = static_cast<std::int64_t>(rate_cents) * minutes / 60;
      if (!Add({{"type", "task.submit"}, {"platform", platform}, {"account", account}, {"task_id", task_id},
                {"duration_s", minutes * 60}, {"earned", {{"amount", protocol::FormatAmount(earned, 2)}, {"currency", "USD"}}}},
               end)) {
        return;
      }
      da_balance_ += earned;
      t = end + Uniform(1, 10) * 60'000LL;
    }
    // The worker looks at the payments page at the end of the session.
    Add({{"type", "balance"}, {"platform", platform}, {"account", account},
         {"amount", protocol::FormatAmount(da_balance_, 2)}, {"currency", "USD"}, {"pending", "0.00"}},
        t);
    // Withdrawals every two weeks for the first half, then the balance is left to grow (as it was, in the
    // story that started Témoin).
    if (index < days_ / 2 && index % 14 == 13 && da_balance_ > 0) {
      t += 120'000;
      if (Add({{"type", "payout"}, {"platform", platform}, {"account", account},
               {"amount", protocol::FormatAmount(da_balance_, 2)}, {"currency", "USD"}, {"method", "paypal"},
               {"reference", "PP-" + std::to_string(day)}},
              t)) {
        da_balance_ = 0;
        Add({{"type", "balance"}, {"platform", platform}, {"account", account}, {"amount", "0.00"}, {"currency", "USD"}},
            t + 60'000);
      }
    }
  }

  void WorkProlific(std::int64_t day, int index) {
    const char* platform = "prolific";
    const char* account = "5f3c2a9e8b7d6c5a4e3f2b1a";
    if (Uniform(0, 2) == 0) return;
    EpochMs t = LocalDayStart(clock_, day) + (19 * 60 + Uniform(0, 90)) * 60'000LL;
    int studies = Uniform(1, 3);
    for (int i = 0; i < studies; ++i) {
      EpochMs wait = Uniform(5, 25) * 60'000LL;
      Heartbeats(platform, account, t, t + wait, 0);
      t += wait;
      std::string task_id = "6" + std::to_string(day) + "a" + std::to_string(i);
      int reward = 100 + 25 * Uniform(0, 16);
      int minutes = Uniform(5, 30);
      Add({{"type", "task.start"}, {"platform", platform}, {"account", account}, {"task_id", task_id},
           {"title", "Study on everyday decisions (" + std::to_string(minutes) + " min)"},
           {"rate", {{"amount", protocol::FormatAmount(reward, 2)}, {"currency", "GBP"}, {"per", "task"}}}},
          t);
      EpochMs end = t + minutes * 60'000LL;
      if (!Add({{"type", "task.submit"}, {"platform", platform}, {"account", account}, {"task_id", task_id},
                {"duration_s", minutes * 60}, {"earned", {{"amount", protocol::FormatAmount(reward, 2)}, {"currency", "GBP"}}}},
               end)) {
        return;
      }
      prolific_pending_ += reward;
      t = end;
    }
    // Studies are approved after a while: move pending money to the balance now and then.
    if (index % 3 == 2) {
      prolific_balance_ += prolific_pending_ / 2;
      prolific_pending_ -= prolific_pending_ / 2;
    }
    Add({{"type", "balance"}, {"platform", platform}, {"account", account},
         {"amount", protocol::FormatAmount(prolific_balance_, 2)}, {"currency", "GBP"},
         {"pending", protocol::FormatAmount(prolific_pending_, 2)}},
        t + 60'000);
    if (index % 7 == 6 && prolific_balance_ >= 500) {
      if (Add({{"type", "payout"}, {"platform", platform}, {"account", account},
               {"amount", protocol::FormatAmount(prolific_balance_, 2)}, {"currency", "GBP"}, {"method", "paypal"}},
              t + 120'000)) {
        prolific_balance_ = 0;
        Add({{"type", "balance"}, {"platform", platform}, {"account", account}, {"amount", "0.00"}, {"currency", "GBP"},
             {"pending", protocol::FormatAmount(prolific_pending_, 2)}},
            t + 180'000);
      }
    }
  }

  const Clock& clock_;
  EpochMs now_;
  int days_;
  std::mt19937 rng_;
  std::vector<json> events_;
  std::int64_t da_balance_ = 0;
  std::int64_t prolific_balance_ = 0;
  std::int64_t prolific_pending_ = 0;
};

}  // namespace

std::vector<nlohmann::json> DemoHistory(const Clock& clock, int days) { return HistoryWriter(clock, days).Write(); }

}  // namespace temoin::cli
