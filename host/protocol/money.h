// Money without binary floating point: decimal strings on the wire, integer minor units in the store.
// Each ISO 4217 currency has its number of decimals (its exponent): USD 2, JPY 0, KWD 3. An amount with more
// decimals than its currency has is refused rather than rounded: rounding money silently is how a record
// stops matching a platform's statement.
#ifndef TEMOIN_PROTOCOL_MONEY_H_
#define TEMOIN_PROTOCOL_MONEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace temoin::protocol {

// The largest amount accepted, in major units: far above any worker's balance, far below int64 overflow.
inline constexpr std::int64_t kMaxMajorUnits = 10'000'000'000;

// The exponent of an active ISO 4217 code ("USD" -> 2), or nullopt for a code that is not one.
std::optional<int> CurrencyExponent(std::string_view code);

// Parses "1312.50" for a currency of `exponent` decimals into minor units (131250). Accepts
// ^(0|[1-9][0-9]*)(\.[0-9]+)?$ with at most `exponent` decimals and at most kMaxMajorUnits.
// The error message explains the problem; the caller names the field.
Result<std::int64_t> ParseAmount(std::string_view text, int exponent);

// Formats minor units as a decimal string with exactly `exponent` decimals ("1312.50"); negative amounts
// (differences) get a leading '-'.
std::string FormatAmount(std::int64_t minor, int exponent);

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_MONEY_H_
