// PLACEHOLDER until issue 3 lands: the alert rules are not written yet. Every alert message is answered as
// unavailable; no rule runs. Replaced by the real implementation (host/rules/).
#include "rules/alert_service.h"

namespace temoin::rules {

AlertService::AlertService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
AlertService::~AlertService() = default;
Status AlertService::OnEvent(const protocol::Event&, std::int64_t, std::vector<nlohmann::json>*) { return Status::Ok(); }
Status AlertService::RunTimeRules(std::vector<nlohmann::json>*) { return Status::Ok(); }
std::optional<nlohmann::json> AlertService::HandleQuery(const protocol::Request&, std::vector<nlohmann::json>*) {
  return std::nullopt;
}
Status AlertService::ReplayHostEvent(const store::LoggedEvent&) { return Status::Ok(); }

}  // namespace temoin::rules
