#include "protocol/timestamp.h"

#include <gtest/gtest.h>

namespace temoin::protocol {
namespace {

TEST(Timestamp, ParsesZonesAndFractions) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("2026-07-14T09:30:00+02:00"), *ParseRfc3339("2026-07-14T07:30:00Z"));
  EXPECT_EQ(*ParseRfc3339("2026-07-14T02:30:00-05:00"), *ParseRfc3339("2026-07-14T07:30:00Z"));
  EXPECT_EQ(*ParseRfc3339("2026-07-14T07:30:00.5Z") - *ParseRfc3339("2026-07-14T07:30:00Z"), 500);
  EXPECT_EQ(*ParseRfc3339("2026-07-14T07:30:00.123456789Z") - *ParseRfc3339("2026-07-14T07:30:00Z"), 123);
  EXPECT_EQ(*ParseRfc3339("2024-02-29T12:00:00Z"), 1709208000000);
}

TEST(Timestamp, RefusesTimesWithoutZoneOrOutOfRange) {
  for (const char* bad : {"2026-07-14T09:30:00", "2026-07-14 09:30:00Z", "2026-07-14", "2026-13-01T00:00:00Z",
                          "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-07-14T24:00:00Z",
                          "2026-07-14T09:30:00+2:00", "2026-07-14T09:30:00.Z", "2026-07-14T09:30:00Zjunk",
                          "2026-07-14T09:30:00+02:00 ", "", "yesterday", "1720942200"}) {
    EXPECT_FALSE(ParseRfc3339(bad).ok()) << bad;
  }
}

TEST(Timestamp, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtc(*ParseRfc3339("2026-07-14T09:30:00.250+02:00")), "2026-07-14T07:30:00.250Z");
  EXPECT_EQ(FormatWithOffset(*ParseRfc3339("2026-07-14T07:30:00Z"), 7200), "2026-07-14T09:30:00+02:00");
  EXPECT_EQ(FormatWithOffset(*ParseRfc3339("2026-07-14T07:30:00Z"), -18000), "2026-07-14T02:30:00-05:00");
  EXPECT_EQ(FormatDay(DaysFromCivil(2026, 7, 14)), "2026-07-14");
}

TEST(LocalDays, FollowTheClocksOffset) {
  EpochMs at = *ParseRfc3339("2026-07-14T23:30:00Z");
  FakeClock utc(at, 0);
  FakeClock paris(at, 7200);
  EXPECT_EQ(FormatDay(LocalDay(utc, at)), "2026-07-14");
  EXPECT_EQ(FormatDay(LocalDay(paris, at)), "2026-07-15");
  EXPECT_EQ(LocalDayStart(paris, LocalDay(paris, at)), *ParseRfc3339("2026-07-15T00:00:00+02:00"));
}

}  // namespace
}  // namespace temoin::protocol
