#include "platform/clock.h"

#include <chrono>
#include <ctime>

namespace temoin {

EpochMs SystemClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t SystemClock::UtcOffsetSeconds(EpochMs at) const {
  std::time_t t = static_cast<std::time_t>(at / 1000);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return 0;
  return local.tm_gmtoff;
}

namespace {
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
constexpr std::int64_t kDayMs = 86'400'000;
}  // namespace

std::int64_t LocalDay(const Clock& clock, EpochMs at) {
  return FloorDiv(at + clock.UtcOffsetSeconds(at) * 1000, kDayMs);
}

EpochMs LocalDayStart(const Clock& clock, std::int64_t day) {
  // The offset at the day's start can differ from the offset a few hours later (DST); two passes settle it.
  EpochMs guess = day * kDayMs - clock.UtcOffsetSeconds(day * kDayMs) * 1000;
  return day * kDayMs - clock.UtcOffsetSeconds(guess) * 1000;
}

}  // namespace temoin
