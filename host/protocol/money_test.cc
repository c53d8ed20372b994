#include "protocol/money.h"

#include <gtest/gtest.h>

namespace temoin::protocol {
namespace {

TEST(Money, ParsesDecimalStringsIntoMinorUnits) {
  EXPECT_EQ(*ParseAmount("1312.50", 2), 131250);
  EXPECT_EQ(*ParseAmount("1312.5", 2), 131250);
  EXPECT_EQ(*ParseAmount("0", 2), 0);
  EXPECT_EQ(*ParseAmount("0.01", 2), 1);
  EXPECT_EQ(*ParseAmount("1500", 0), 1500);
  EXPECT_EQ(*ParseAmount("1.234", 3), 1234);
  EXPECT_EQ(*ParseAmount("10000000000", 2), 1'000'000'000'000);
}

TEST(Money, RefusesWhatIsNotAPlainNonNegativeDecimal) {
  for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1e3", "01", "1.", ".5", "1,00", "1.2.3", "NaN", "Infinity",
                          "0x10", "１２", "1.500", "10000000001", "10000000000.01", "99999999999999999999"}) {
    EXPECT_FALSE(ParseAmount(bad, 2).ok()) << bad;
  }
  EXPECT_FALSE(ParseAmount("1.5", 0).ok()) << "JPY has no decimals";
  EXPECT_EQ(ParseAmount("1.500", 2).status().code(), Code::kBadMessage);
}

TEST(Money, FormatsWithExactlyTheCurrencyDecimals) {
  EXPECT_EQ(FormatAmount(131250, 2), "1312.50");
  EXPECT_EQ(FormatAmount(5, 2), "0.05");
  EXPECT_EQ(FormatAmount(0, 2), "0.00");
  EXPECT_EQ(FormatAmount(1500, 0), "1500");
  EXPECT_EQ(FormatAmount(1234, 3), "1.234");
  EXPECT_EQ(FormatAmount(-250, 2), "-2.50");
}

TEST(Money, KnowsTheExponentsOfIso4217Codes) {
  EXPECT_EQ(CurrencyExponent("USD"), 2);
  EXPECT_EQ(CurrencyExponent("EUR"), 2);
  EXPECT_EQ(CurrencyExponent("GBP"), 2);
  EXPECT_EQ(CurrencyExponent("JPY"), 0);
  EXPECT_EQ(CurrencyExponent("KWD"), 3);
  EXPECT_FALSE(CurrencyExponent("usd").has_value());
  EXPECT_FALSE(CurrencyExponent("XXX").has_value());
  EXPECT_FALSE(CurrencyExponent("US$").has_value());
  EXPECT_FALSE(CurrencyExponent("").has_value());
}

TEST(Money, RoundTripsEveryAmountWithoutFloatingPoint) {
  for (std::int64_t minor : {0LL, 1LL, 9LL, 10LL, 99LL, 100LL, 12345678LL, 999999999999LL}) {
    EXPECT_EQ(*ParseAmount(FormatAmount(minor, 2), 2), minor);
    EXPECT_EQ(*ParseAmount(FormatAmount(minor, 3), 3), minor);
  }
}

}  // namespace
}  // namespace temoin::protocol
