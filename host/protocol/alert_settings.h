// The alert thresholds a worker can set per account (docs/alerts.md), and their validation. The table lives
// in the protocol layer because `config.set` must name a bad field before anything reaches the store.
#ifndef TEMOIN_PROTOCOL_ALERT_SETTINGS_H_
#define TEMOIN_PROTOCOL_ALERT_SETTINGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace temoin::protocol {

struct SettingSpec {
  std::string_view key;
  bool is_amount;            // a decimal string in the account's currency; else an integer
  std::int64_t min, max;     // for integers
  std::string_view default_value;  // as JSON text: "3", "\"0.01\""
};

const std::vector<SettingSpec>& AlertSettingSpecs();

// Checks a `settings` object: known keys, right types and ranges. Fields are named "settings.KEY".
Status ValidateSettings(const nlohmann::json& settings);

// The defaults of every setting, as a JSON object.
nlohmann::json DefaultSettings();

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_ALERT_SETTINGS_H_
