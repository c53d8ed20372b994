// Alert thresholds as the rules use them: the defaults of protocol/alert_settings.h, overlaid by the worker's
// defaults row (platform = '' and account = '' in the `settings` table), overlaid by the account's own rows.
// Money thresholds are kept in thousandths of a major unit (3 decimals, the widest any currency has), so they
// compare exactly with an amount of any currency (MinorToMilli).
#ifndef TEMOIN_RULES_SETTINGS_H_
#define TEMOIN_RULES_SETTINGS_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "store/database.h"

namespace temoin::rules {

// The chain that holds configuration changes made for every account (config.set without an account).
inline constexpr char kSettingsPlatform[] = "temoin";
inline constexpr char kSettingsAccount[] = "settings";

struct Thresholds {
  std::int64_t drop_tolerance_milli = 10;
  std::int64_t payout_match_window_ms = 3'600'000;
  std::int64_t access_lost_ms = 24 * 3'600'000LL;
  std::int64_t dried_up_ms = 3 * 86'400'000LL;
  std::int64_t dried_up_lookback_ms = 30 * 86'400'000LL;
  std::int64_t no_contact_ms = 7 * 86'400'000LL;
  std::int64_t unpaid_threshold_milli = 100'000;
  std::int64_t unpaid_ms = 14 * 86'400'000LL;
  nlohmann::json effective;  // the effective settings object, as config.get shows it
};

// An amount of `exponent` decimals in thousandths of a major unit.
std::int64_t MinorToMilli(std::int64_t minor, int exponent);

// The effective settings for an account; platform and account empty for the defaults every account gets.
Result<Thresholds> LoadThresholds(store::Database& db, const std::string& platform, const std::string& account);

// Writes validated settings into the table for a scope ('' / '' for the defaults). Runs in the caller's
// transaction.
Status StoreSettings(store::Database& db, const std::string& platform, const std::string& account,
                     const nlohmann::json& settings);

}  // namespace temoin::rules

#endif  // TEMOIN_RULES_SETTINGS_H_
