#include "protocol/timestamp.h"

#include <cstdio>

namespace temoin::protocol {

namespace {

bool Digits(std::string_view text, std::size_t pos, std::size_t count, int* value) {
  if (pos + count > text.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *value = v;
  return true;
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

// Howard Hinnant's civil_from_days.
Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Result<EpochMs> ParseRfc3339(std::string_view t) {
  auto bad = [](const char* why) {
    return Status(Code::kBadMessage, std::string("an RFC 3339 time with a zone is expected, such as "
                                                 "\"2026-07-14T09:30:00+02:00\": ") + why);
  };
  int year, month, day, hour, minute, second;
  if (t.size() < 20 || !Digits(t, 0, 4, &year) || t[4] != '-' || !Digits(t, 5, 2, &month) || t[7] != '-' ||
      !Digits(t, 8, 2, &day) || t[10] != 'T' || !Digits(t, 11, 2, &hour) || t[13] != ':' ||
      !Digits(t, 14, 2, &minute) || t[16] != ':' || !Digits(t, 17, 2, &second)) {
    return bad("the date or time is malformed");
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return bad("the date or time is out of range");
  }
  std::size_t pos = 19;
  int millis = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (pos - start < 3) millis = millis * 10 + (t[pos] - '0');
      ++pos;
    }
    std::size_t count = pos - start;
    if (count == 0 || count > 9) return bad("the fraction of a second is malformed");
    for (std::size_t i = count; i < 3; ++i) millis *= 10;
  }
  if (pos >= t.size()) return bad("the zone is missing");
  int offset_minutes = 0;
  if (t[pos] == 'Z') {
    ++pos;
  } else if (t[pos] == '+' || t[pos] == '-') {
    int oh, om;
    if (!Digits(t, pos + 1, 2, &oh) || pos + 3 >= t.size() || t[pos + 3] != ':' || !Digits(t, pos + 4, 2, &om) ||
        oh > 23 || om > 59) {
      return bad("the zone offset is malformed");
    }
    offset_minutes = (oh * 60 + om) * (t[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad("the zone is missing");
  }
  if (pos != t.size()) return bad("there is text after the zone");
  if (second == 60) second = 59;  // a leap second is kept as the last second of its minute
  std::int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string FormatUtc(EpochMs at) {
  std::int64_t day = FloorDiv(at, 86'400'000);
  std::int64_t ms_of_day = at - day * 86'400'000;
  Civil c = CivilFromDays(day);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(c.year),
                c.month, c.day, static_cast<long long>(ms_of_day / 3'600'000),
                static_cast<long long>(ms_of_day / 60'000 % 60), static_cast<long long>(ms_of_day / 1000 % 60),
                static_cast<long long>(ms_of_day % 1000));
  return buffer;
}

std::string FormatWithOffset(EpochMs at, std::int64_t offset_s) {
  std::string local = FormatUtc(at + offset_s * 1000).substr(0, 19);
  if (offset_s == 0) return local + "Z";
  std::int64_t magnitude = offset_s < 0 ? -offset_s : offset_s;
  char zone[40];  // room for any int64 the compiler cannot rule out, though offsets stay within ±18:00
  std::snprintf(zone, sizeof zone, "%c%02lld:%02lld", offset_s < 0 ? '-' : '+', static_cast<long long>(magnitude / 3600),
                static_cast<long long>(magnitude / 60 % 60));
  return local + zone;
}

std::string FormatDay(std::int64_t day) {
  Civil c = CivilFromDays(day);
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  return buffer;
}

}  // namespace temoin::protocol
