// The events the benches send and store: a deterministic, realistic mix for `accounts` workers over `days`
// days ending at `end_ms`. Every account works one session a day of the same number of events, one a minute:
//   task.start (with an advertised rate), five heartbeats, task.submit (with earnings or a duration), then a
//   balance; on one day in fourteen a payout, then an empty balance; on one day in thirty an account.status.
// Events of a session are in time order; sessions of a day go account by account. Ids are UUIDs of version 7
// made from the event's time, as the extension makes them (extension/lib/events.js), with random bits from a
// generator seeded by `id_seed` (another seed, other ids: 74 random bits each).
// Bodies are written with snprintf (the driver must not spend its time building JSON).
#ifndef TEMOIN_BENCH_WORKLOAD_H_
#define TEMOIN_BENCH_WORKLOAD_H_

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace temoin::bench {

inline std::string FormatUtcMs(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

inline std::string Money(std::int64_t minor) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(minor / 100),
                static_cast<long long>(minor % 100));
  return buf;
}

class Workload {
 public:
  static constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  // The data set: 20 accounts over about three years. Every bench uses it unless told otherwise.
  static constexpr int kAccounts = 20;
  static constexpr int kDays = 1095;

  // `total` events in all; `end_ms` is the time of the last session's day (usually now).
  Workload(std::int64_t total, int accounts, int days, std::int64_t end_ms, std::uint64_t id_seed)
      : total_(total), accounts_(accounts), days_(days), random_state_(id_seed), balance_(accounts, 0) {
    per_session_ = (total + static_cast<std::int64_t>(accounts) * days - 1) / (static_cast<std::int64_t>(accounts) * days);
    if (per_session_ < 8) per_session_ = 8;
    // The days actually used (the rounding up of per_session_ may need fewer), so that the last one is today.
    std::int64_t per_day = per_session_ * accounts;
    days_ = static_cast<int>((total + per_day - 1) / per_day);
    // Sessions end by end_ms: the last day's sessions start early enough.
    first_day_start_ = (end_ms / kDayMs - days_ + 1) * kDayMs;
    end_ms_ = end_ms;
  }

  bool Done() const { return emitted_ >= total_; }
  std::int64_t emitted() const { return emitted_; }

  static const char* Platform(int a) {
    static const char* const kPlatforms[] = {"dataannotation", "prolific", "mturk", "outlier", "toloka"};
    return kPlatforms[a % 5];
  }
  static std::string Account(int a) { return "worker" + std::to_string(a) + "@example.org"; }

  // The next event's JSON text (and its page time in *at_ms).
  std::string Next(std::int64_t* at_ms = nullptr) {
    const int a = account_;
    const std::int64_t day = day_;
    const std::int64_t j = pos_;
    // Sessions of the last day are placed before end_ms; others start at 08:00 UTC plus a per-account offset.
    std::int64_t session_start = first_day_start_ + day * kDayMs + 8LL * 3600 * 1000 + (a * 17LL % 600) * 60 * 1000;
    std::int64_t last_start = end_ms_ - (per_session_ + 1) * 60 * 1000;
    if (session_start > last_start) session_start = last_start;
    std::int64_t at = session_start + j * 60 * 1000 + (a * 7919 + j * 104729) % 50000;
    if (at_ms) *at_ms = at;
    std::string id = UuidV7(at);
    std::string at_text = FormatUtcMs(at);
    std::string platform = Platform(a);
    std::string account = Account(a);
    std::string task = "t" + std::to_string(a) + "-" + std::to_string(day) + "-" + std::to_string(j / 8);
    char buf[1024];
    int slot = static_cast<int>(j % 8);
    bool hourly = a % 5 < 3;
    switch (slot) {
      case 0:
        std::snprintf(buf, sizeof buf,
                      "{\"v\":1,\"type\":\"task.start\",\"id\":\"%s\",\"platform\":\"%s\",\"account\":\"%s\","
                      "\"at\":\"%s\",\"task_id\":\"%s\",\"project\":\"Project %d\",\"title\":\"Rate two answers of "
                      "a chatbot\",\"url\":\"https://app.example.com/tasks/%s\",\"rate\":{\"amount\":\"%s\","
                      "\"currency\":\"USD\",\"per\":\"%s\"}}",
                      id.c_str(), platform.c_str(), account.c_str(), at_text.c_str(), task.c_str(),
                      static_cast<int>(day % 37), task.c_str(), hourly ? "20.00" : "1.50", hourly ? "hour" : "task");
        break;
      case 6:
        if (j % 16 == 6) {
          std::snprintf(buf, sizeof buf,
                        "{\"v\":1,\"type\":\"task.submit\",\"id\":\"%s\",\"platform\":\"%s\",\"account\":\"%s\","
                        "\"at\":\"%s\",\"task_id\":\"%s\",\"duration_s\":330,\"earned\":{\"amount\":\"%s\","
                        "\"currency\":\"USD\"}}",
                        id.c_str(), platform.c_str(), account.c_str(), at_text.c_str(), task.c_str(),
                        hourly ? "1.83" : "1.50");
          balance_[a] += hourly ? 183 : 150;
        } else {
          std::snprintf(buf, sizeof buf,
                        "{\"v\":1,\"type\":\"task.submit\",\"id\":\"%s\",\"platform\":\"%s\",\"account\":\"%s\","
                        "\"at\":\"%s\",\"task_id\":\"%s\",\"duration_s\":330}",
                        id.c_str(), platform.c_str(), account.c_str(), at_text.c_str(), task.c_str());
          balance_[a] += hourly ? 183 : 150;
        }
        break;
      case 7:
        if (day % 14 == a % 14 && j == 7 && balance_[a] > 0) {
          std::snprintf(buf, sizeof buf,
                        "{\"v\":1,\"type\":\"payout\",\"id\":\"%s\",\"platform\":\"%s\",\"account\":\"%s\","
                        "\"at\":\"%s\",\"amount\":\"%s\",\"currency\":\"USD\",\"method\":\"paypal\","
                        "\"reference\":\"PP-%d-%lld\"}",
                        id.c_str(), platform.c_str(), account.c_str(), at_text.c_str(), Money(balance_[a]).c_str(), a,
                        static_cast<long long>(day));
          balance_[a] = 0;
        } else if (day % 14 == a % 14 && j == 15) {
          // The platform shows an empty balance after the payout.
          balance_[a] = 0;
          std::snprintf(buf, sizeof buf,
                        "{\"v\":1,\"type\":\"balance\",\"id\":\"%s\",\"platform\":\"%s\",\"account\":\"%s\","
                        "\"at\":\"%s\",\"amount\":\"0.00\",\"currency\":\"USD\"}",
                        id.c_str(), platform.c_str(), account.c_str(), at_text.c_str());
        } else if (day % 30 == a % 30 && j == 23) {
          std::snprintf(buf, sizeof buf,
                        "{\"v\":1,\"type\":\"account.status\",\"id\":\"%s\",\"platform\":\"%s\",\"account\":\"%s\","
                        "\"at\":\"%s\",\"state\":\"active\"}",
                        id.c_str(), platform.c_str(), account.c_str(), at_text.c_str());
        } else {
          std::snprintf(buf, sizeof buf,
                        "{\"v\":1,\"type\":\"balance\",\"id\":\"%s\",\"platform\":\"%s\",\"account\":\"%s\","
                        "\"at\":\"%s\",\"amount\":\"%s\",\"currency\":\"USD\",\"pending\":\"12.00\"}",
                        id.c_str(), platform.c_str(), account.c_str(), at_text.c_str(), Money(balance_[a]).c_str());
        }
        break;
      default:
        std::snprintf(buf, sizeof buf,
                      "{\"v\":1,\"type\":\"heartbeat\",\"id\":\"%s\",\"platform\":\"%s\",\"account\":\"%s\","
                      "\"at\":\"%s\",\"tasks_available\":%d,\"focused\":true}",
                      id.c_str(), platform.c_str(), account.c_str(), at_text.c_str(),
                      static_cast<int>((day * 7 + j) % 40));
    }
    ++emitted_;
    if (++pos_ >= per_session_) {
      pos_ = 0;
      if (++account_ >= accounts_) {
        account_ = 0;
        if (++day_ >= days_) day_ = days_ - 1;  // only reached when total was rounded up: stay on the last day
      }
    }
    return buf;
  }

 private:
  // splitmix64: deterministic, so that a run can be repeated event for event.
  std::uint64_t NextRandom() {
    std::uint64_t z = (random_state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // RFC 9562: 48 bits of ms, the version (7), 12 random bits; the variant (10), 62 random bits.
  std::string UuidV7(std::int64_t at_ms) {
    const std::uint64_t high = (static_cast<std::uint64_t>(at_ms) << 16) | 0x7000 | (NextRandom() & 0x0fff);
    const std::uint64_t low = 0x8000000000000000ULL | (NextRandom() >> 2);
    char text[40];
    std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                  static_cast<unsigned long long>(high >> 32), static_cast<unsigned long long>((high >> 16) & 0xffff),
                  static_cast<unsigned long long>(high & 0xffff), static_cast<unsigned long long>(low >> 48),
                  static_cast<unsigned long long>(low & 0xffffffffffffULL));
    return text;
  }

  std::int64_t total_;
  int accounts_;
  int days_;
  std::uint64_t random_state_;
  std::vector<std::int64_t> balance_;
  std::int64_t per_session_ = 8;
  std::int64_t first_day_start_ = 0;
  std::int64_t end_ms_ = 0;
  std::int64_t emitted_ = 0;
  int account_ = 0;
  std::int64_t day_ = 0;
  std::int64_t pos_ = 0;
};

}  // namespace temoin::bench

#endif  // TEMOIN_BENCH_WORKLOAD_H_
