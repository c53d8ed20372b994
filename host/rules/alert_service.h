// AlertService: the alert rules of docs/alerts.md and the messages around them (query.alerts, alert.ack,
// config.get, config.set). The request handler calls it; it reads the derived tables through the store and
// records every raise, resolution, acknowledgement and configuration change as an event of the account's
// chained log (type alert.raised, alert.resolved, alert.acknowledged, config.set), so that the record shows
// when the worker was warned, and a rebuild from the log restores alerts and settings (ReplayHostEvent).
#ifndef TEMOIN_RULES_ALERT_SERVICE_H_
#define TEMOIN_RULES_ALERT_SERVICE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "platform/clock.h"
#include "protocol/messages.h"
#include "store/account_rows.h"
#include "store/database.h"
#include "store/event_log.h"
#include "rules/alert_store.h"
#include "rules/settings.h"

namespace temoin::rules {

struct BalanceScanCache;  // rules/balance_scan.h

class Rule;

class AlertService {
 public:
  AlertService(store::Database& db, const Clock& clock);
  ~AlertService();

  // Runs the rules an event can trigger, inside the catch-up's transaction (rules/log_follower.h), once the
  // event (seq) was projected. Alerts raised or resolved are appended to the log and their pushes
  // ({"v":1,"type":"alert",...}) added to `pushes`, which the caller writes once the commit succeeded.
  // `account_row`: the account's row as the catch-up holds it, not yet in the table (AccountContext).
  Status OnEvent(const protocol::Event& event, std::int64_t seq, std::vector<nlohmann::json>* pushes,
                 const store::AccountRow* account_row = nullptr);

  // Runs the time-based rules (tasks_dried_up, no_contact, unpaid_exposure, access_lost) for every account, in
  // its own transaction. Called by the host's timer and by `temoin check`.
  Status RunTimeRules(std::vector<nlohmann::json>* pushes);

  // Answers query.alerts, alert.ack, config.get and config.set; nullopt for any other request.
  std::optional<nlohmann::json> HandleQuery(const protocol::Request& request, std::vector<nlohmann::json>* pushes);

  // Re-applies one of the host's own logged events (alert.*, config.set) to the derived alerts and settings
  // tables during a rebuild (store::Projections::Rebuild's `other`).
  Status ReplayHostEvent(const store::LoggedEvent& event);

 private:
  // Runs one rule on one account and raises / resolves alerts to match; pushes go to `pushes`.
  // `changed_at`: the page time of the event that triggered it (AccountContext::changed_at), if any.
  Status Reconcile(const Rule& rule, const std::string& platform, const std::string& account,
                   const Thresholds& thresholds, std::optional<EpochMs> changed_at,
                   std::vector<nlohmann::json>* pushes, BalanceScanCache* balance_scan = nullptr,
                   const store::AccountRow* account_row = nullptr);
  // Appends one of the host's events to the account's chain and applies it to the derived tables.
  Status Record(const std::string& id, const std::string& type, const std::string& platform,
                const std::string& account, nlohmann::json body);
  Status ApplyHostEvent(const std::string& type, const std::string& platform, const std::string& account,
                        EpochMs at_ms, const nlohmann::json& body);
  Status AlertPush(std::int64_t id, std::vector<nlohmann::json>* pushes);
  // What the rules read of an account once per transaction: within one, only this connection can change it,
  // and it forgets what it changes itself. Its thresholds (forgotten when it records a config.set), and its
  // unresolved alerts of every kind (forgotten when it records an alert event of the account): read per rule
  // and event, they were a sixth of the ingest's alert work.
  Result<const Thresholds*> ThresholdsFor(const std::string& platform, const std::string& account);
  Result<const std::vector<AlertRow>*> UnresolvedFor(const std::string& platform, const std::string& account);
  // Forgets both outside a transaction, and when another one has begun or a savepoint was rolled back.
  void ForgetIfStale();
  // Runs `fn` in a transaction of its own unless one is already open.
  Status InTransaction(const std::function<Status()>& fn);
  nlohmann::json AnswerAlerts(const protocol::Request& request, const protocol::AlertsQuery& q);
  nlohmann::json AnswerAck(const protocol::Request& request, const protocol::AlertAck& ack);
  nlohmann::json AnswerConfigSet(const protocol::Request& request, const protocol::ConfigSet& set);
  nlohmann::json AnswerConfigGet(const protocol::Request& request, const protocol::AccountScope& scope);

  store::Database& db_;
  const Clock& clock_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::map<std::pair<std::string, std::string>, Thresholds> thresholds_;
  std::map<std::pair<std::string, std::string>, std::vector<AlertRow>> unresolved_;
  std::uint64_t cached_transaction_ = 0;  // the transaction_serial() both maps were last checked in
  std::int64_t cached_data_version_ = -1;  // PRAGMA data_version then: other connections' commits move it
  bool wrote_ = false;  // alerts or settings written since the maps were last checked
};

}  // namespace temoin::rules

#endif  // TEMOIN_RULES_ALERT_SERVICE_H_
