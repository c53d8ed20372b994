// The clock seam. Everything that needs "now" takes a Clock&, so time-based rules and validation can be tested
// on simulated weeks. Times are milliseconds since the Unix epoch (UTC) throughout the host.
#ifndef TEMOIN_PLATFORM_CLOCK_H_
#define TEMOIN_PLATFORM_CLOCK_H_

#include <cstdint>

namespace temoin {

using EpochMs = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual EpochMs NowMs() const = 0;
  // Offset of local time from UTC at `at`, in seconds (the host's time zone, from TZ or /etc/localtime).
  virtual std::int64_t UtcOffsetSeconds(EpochMs at) const = 0;
};

// The real clock and the process's local time zone.
class SystemClock final : public Clock {
 public:
  EpochMs NowMs() const override;
  std::int64_t UtcOffsetSeconds(EpochMs at) const override;
};

// A clock for tests: set and advanced by hand, with a fixed UTC offset.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(EpochMs now, std::int64_t utc_offset_s = 0) : now_(now), offset_(utc_offset_s) {}
  EpochMs NowMs() const override { return now_; }
  std::int64_t UtcOffsetSeconds(EpochMs) const override { return offset_; }
  void Set(EpochMs now) { now_ = now; }
  void Advance(EpochMs ms) { now_ += ms; }

 private:
  EpochMs now_;
  std::int64_t offset_;
};

// Local-day arithmetic shared by every query that speaks of "today" or "the last N days".
// The local day (days since 1970-01-01 in local time) that `at` falls in.
std::int64_t LocalDay(const Clock& clock, EpochMs at);
// The UTC instant at which local day `day` begins.
EpochMs LocalDayStart(const Clock& clock, std::int64_t day);

}  // namespace temoin

#endif  // TEMOIN_PLATFORM_CLOCK_H_
