#include "protocol/alert_settings.h"

#include "protocol/money.h"

namespace temoin::protocol {

const std::vector<SettingSpec>& AlertSettingSpecs() {
  static const std::vector<SettingSpec> kSpecs = {
      {"drop_tolerance", true, 0, 0, "\"0.01\""},
      {"payout_match_window_s", false, 0, 604800, "3600"},
      {"access_lost_hours", false, 1, 8760, "24"},
      {"dried_up_days", false, 1, 365, "3"},
      {"dried_up_lookback_days", false, 1, 365, "30"},
      {"no_contact_days", false, 1, 365, "7"},
      {"unpaid_threshold", true, 0, 0, "\"100\""},
      {"unpaid_days", false, 1, 3650, "14"},
  };
  return kSpecs;
}

Status ValidateSettings(const nlohmann::json& settings) {
  if (!settings.is_object()) return BadMessage("settings", "must be an object");
  for (const auto& [key, value] : settings.items()) {
    const SettingSpec* spec = nullptr;
    for (const auto& s : AlertSettingSpecs()) {
      if (s.key == key) spec = &s;
    }
    std::string field = "settings." + key;
    if (spec == nullptr) return BadMessage(field, "unknown setting");
    if (spec->is_amount) {
      // Thresholds apply to every currency of the account, so they take the widest precision any has (3).
      if (!value.is_string()) return BadMessage(field, "must be a decimal string such as \"100\"");
      auto amount = ParseAmount(value.get_ref<const std::string&>(), 3);
      if (!amount.ok()) return BadMessage(field, amount.status().message());
    } else {
      if (!value.is_number_integer()) return BadMessage(field, "must be an integer");
      std::int64_t v = value.get<std::int64_t>();
      if (v < spec->min || v > spec->max) {
        return BadMessage(field, "must be between " + std::to_string(spec->min) + " and " + std::to_string(spec->max));
      }
    }
  }
  return Status::Ok();
}

nlohmann::json DefaultSettings() {
  nlohmann::json defaults = nlohmann::json::object();
  for (const auto& s : AlertSettingSpecs()) defaults[std::string(s.key)] = nlohmann::json::parse(s.default_value);
  return defaults;
}

}  // namespace temoin::protocol
