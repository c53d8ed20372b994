// The `alerts` table: alerts as derived from the alert.* events of the log. Only the AlertService writes it,
// and only by applying such an event (ApplyAlertEvent), live or during a rebuild, so that a rebuild from the
// log gives exactly the same rows.
#ifndef TEMOIN_RULES_ALERT_STORE_H_
#define TEMOIN_RULES_ALERT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "store/database.h"

namespace temoin::rules {

struct AlertRow {
  std::int64_t id = 0;
  std::string kind;
  std::string severity;
  std::string platform;
  std::string account;
  std::optional<std::string> currency;
  std::string episode;
  std::int64_t raised_ms = 0;
  std::string raised_at;
  std::string message;
  std::vector<std::int64_t> evidence;
  std::string state;  // open | acknowledged | resolved
  std::optional<std::string> acknowledged_at;
  std::optional<std::string> resolved_at;
};

// The alert as the wire shows it (push, query.alerts, alert.ack; schema/messages/defs.schema.json#alert).
nlohmann::json AlertToJson(const AlertRow& row);

class AlertStore {
 public:
  explicit AlertStore(store::Database& db) : db_(db) {}

  Result<std::optional<AlertRow>> Get(std::int64_t id);
  Result<bool> Exists(const std::string& kind, const std::string& platform, const std::string& account,
                      const std::string& episode);
  // An account's alerts of every kind that are not resolved (open or acknowledged), in id order.
  Result<std::vector<AlertRow>> Unresolved(const std::string& platform, const std::string& account);
  // Alerts with id > after_id, in id order, at most `limit`.
  Result<std::vector<AlertRow>> List(bool open_only, const std::optional<std::string>& platform,
                                     const std::optional<std::string>& account, std::int64_t after_id, int limit);
  // The id the next raised alert gets: above every alert in the table and every alert.raised in the log.
  Result<std::int64_t> NextId();

  // Applies one of the host's logged events (alert.raised, alert.resolved, alert.acknowledged) to the table.
  Status ApplyAlertEvent(const std::string& type, const std::string& platform, const std::string& account,
                         std::int64_t at_ms, const nlohmann::json& body);

 private:
  store::Database& db_;
};

}  // namespace temoin::rules

#endif  // TEMOIN_RULES_ALERT_STORE_H_
