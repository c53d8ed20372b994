#include "protocol/money.h"

#include <algorithm>
#include <array>

namespace temoin::protocol {

namespace {

struct CurrencyInfo {
  std::string_view code;
  int exponent;
};

// Active ISO 4217 codes (list one, 2025: XCG included) with their minor-unit exponents, sorted by code for binary search.
// Funds codes and precious metals without a minor unit (XAU, XDR...) are left out: no platform pays in them.
constexpr std::array<CurrencyInfo, 157> kCurrencies = {{
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2},
    {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
    {"BOB", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2},
    {"CHF", 2}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2}, {"DJF", 0},
    {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2}, {"FJD", 2}, {"FKP", 2},
    {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2},
    {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0},
    {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0},
    {"KWD", 3}, {"KYD", 2}, {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3},
    {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2},
    {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2},
    {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2},
    {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0}, {"SAR", 2}, {"SBD", 2}, {"SCR", 2},
    {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2}, {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2},
    {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2}, {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYU", 2}, {"UZS", 2}, {"VED", 2},
    {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2},
    {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
}};

constexpr std::int64_t Pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<int> CurrencyExponent(std::string_view code) {
  auto it = std::lower_bound(kCurrencies.begin(), kCurrencies.end(), code,
                             [](const CurrencyInfo& info, std::string_view c) { return info.code < c; });
  if (it == kCurrencies.end() || it->code != code) return std::nullopt;
  return it->exponent;
}

Result<std::int64_t> ParseAmount(std::string_view text, int exponent) {
  auto bad = [](std::string why) { return Status(Code::kBadMessage, std::move(why)); };
  if (text.empty()) return bad("an amount cannot be empty");
  if (text.front() == '-') return bad("an amount cannot be negative");
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), IsDigit) ||
      (dot != std::string_view::npos && (fraction.empty() || !std::all_of(fraction.begin(), fraction.end(), IsDigit)))) {
    return bad("an amount is a decimal string such as \"1312.50\" (digits, at most one '.', no sign or exponent)");
  }
  if (whole.size() > 1 && whole.front() == '0') return bad("an amount has no leading zeros");
  if (static_cast<int>(fraction.size()) > exponent) {
    return bad("more decimals than the currency has (" + std::to_string(exponent) + ")");
  }
  if (whole.size() > 11) return bad("the amount is absurdly large");
  std::int64_t major = 0;
  for (char c : whole) major = major * 10 + (c - '0');
  std::int64_t minor = 0;
  for (char c : fraction) minor = minor * 10 + (c - '0');
  if (major > kMaxMajorUnits || (major == kMaxMajorUnits && minor > 0)) {
    return bad("the amount is absurdly large (over 10,000,000,000)");
  }
  minor *= Pow10(exponent - static_cast<int>(fraction.size()));
  return major * Pow10(exponent) + minor;
}

std::string FormatAmount(std::int64_t minor, int exponent) {
  bool negative = minor < 0;
  // Work on the magnitude in unsigned arithmetic so that INT64_MIN does not overflow.
  std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  std::uint64_t scale = static_cast<std::uint64_t>(Pow10(exponent));
  std::string text = std::to_string(magnitude / scale);
  if (exponent > 0) {
    std::string fraction = std::to_string(magnitude % scale);
    text += "." + std::string(static_cast<std::size_t>(exponent) - fraction.size(), '0') + fraction;
  }
  return negative ? "-" + text : text;
}

}  // namespace temoin::protocol
