#include "export/period.h"

#include "protocol/timestamp.h"

namespace temoin::exporter {

namespace {

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

Result<EpochMs> ParseBound(std::string_view text, Bound bound, const Clock& clock) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && IsDigits(text.substr(0, 4)) &&
      IsDigits(text.substr(5, 2)) && IsDigits(text.substr(8, 2))) {
    int year = std::stoi(std::string(text.substr(0, 4)));
    unsigned month = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
    unsigned day = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
    static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (year < 2000 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1] ||
        (month == 2 && day == 29 && !leap)) {
      return Status(Code::kInvalidArgument, "'" + std::string(text) + "' is not a date from 2000 on");
    }
    std::int64_t days = protocol::DaysFromCivil(year, month, day);
    return LocalDayStart(clock, bound == Bound::kSince ? days : days + 1);
  }
  auto at = protocol::ParseRfc3339(text);
  if (!at.ok()) {
    return Status(Code::kInvalidArgument, "'" + std::string(text) + "' is neither a date (YYYY-MM-DD) nor an RFC 3339 "
                                          "time: " + at.status().message());
  }
  return *at;
}

Status CheckPeriod(const Period& period) {
  if (period.since && period.until && *period.since >= *period.until) {
    return Status(Code::kInvalidArgument, "the period is empty: --since must come before --until", "until");
  }
  return Status::Ok();
}

}  // namespace temoin::exporter
