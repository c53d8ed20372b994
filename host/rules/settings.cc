#include "rules/settings.h"

#include <SQLiteCpp/Statement.h>

#include "protocol/alert_settings.h"
#include "protocol/money.h"

namespace temoin::rules {

namespace {

std::int64_t Pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

std::int64_t MilliOf(const nlohmann::json& value) {
  auto parsed = protocol::ParseAmount(value.get<std::string>(), 3);
  return parsed.ok() ? *parsed : 0;
}

Status Overlay(store::Database& db, const std::string& platform, const std::string& account, nlohmann::json* into) {
  auto q = db.Prepare("SELECT key, value FROM settings WHERE platform = ? AND account = ?");
  q.bind(1, platform);
  q.bind(2, account);
  while (q.executeStep()) {
    std::string key = q.getColumn(0).getString();
    if (!into->contains(key)) continue;  // a key this version no longer knows
    auto value = nlohmann::json::parse(q.getColumn(1).getString(), nullptr, false);
    if (value.is_discarded()) continue;
    nlohmann::json one = {{key, value}};
    if (!protocol::ValidateSettings(one).ok()) continue;
    (*into)[key] = value;
  }
  return Status::Ok();
}

}  // namespace

std::int64_t MinorToMilli(std::int64_t minor, int exponent) {
  if (exponent >= 3) return minor;
  return minor * Pow10(3 - exponent);
}

Result<Thresholds> LoadThresholds(store::Database& db, const std::string& platform, const std::string& account) {
  nlohmann::json effective = protocol::DefaultSettings();
  Status status = store::CatchStorage("cannot read the alert settings", [&]() -> Status {
    TEMOIN_RETURN_IF_ERROR(Overlay(db, "", "", &effective));
    if (!platform.empty() || !account.empty()) TEMOIN_RETURN_IF_ERROR(Overlay(db, platform, account, &effective));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  Thresholds t;
  t.drop_tolerance_milli = MilliOf(effective["drop_tolerance"]);
  t.payout_match_window_ms = effective["payout_match_window_s"].get<std::int64_t>() * 1000;
  t.access_lost_ms = effective["access_lost_hours"].get<std::int64_t>() * 3'600'000LL;
  t.dried_up_ms = effective["dried_up_days"].get<std::int64_t>() * 86'400'000LL;
  t.dried_up_lookback_ms = effective["dried_up_lookback_days"].get<std::int64_t>() * 86'400'000LL;
  t.no_contact_ms = effective["no_contact_days"].get<std::int64_t>() * 86'400'000LL;
  t.unpaid_threshold_milli = MilliOf(effective["unpaid_threshold"]);
  t.unpaid_ms = effective["unpaid_days"].get<std::int64_t>() * 86'400'000LL;
  t.effective = std::move(effective);
  return t;
}

Status StoreSettings(store::Database& db, const std::string& platform, const std::string& account,
                     const nlohmann::json& settings) {
  return store::CatchStorage("cannot store the alert settings", [&]() -> Status {
    auto q = db.Prepare("INSERT INTO settings (platform, account, key, value) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (platform, account, key) DO UPDATE SET value = excluded.value");
    for (const auto& [key, value] : settings.items()) {
      q.reset();
      q.bind(1, platform);
      q.bind(2, account);
      q.bind(3, key);
      q.bind(4, value.dump());
      q.exec();
    }
    return Status::Ok();
  });
}

}  // namespace temoin::rules
