// account_locked (critical): the latest account state in page time is `locked` or `suspended`. The episode
// starts at the first such state after the last `active` one; `logged_out` or `unreachable` in between do
// not end it (a locked account is often logged out). Resolved when a later `active` state is seen.
#include "rules/rule.h"
#include "rules/status_history.h"

namespace temoin::rules {

namespace {

class AccountLockedRule final : public Rule {
 public:
  std::string_view kind() const override { return "account_locked"; }
  std::string_view severity() const override { return "critical"; }
  bool TriggeredBy(protocol::EventType type) const override { return type == protocol::EventType::kAccountStatus; }
  bool time_based() const override { return false; }

  Result<std::vector<Finding>> Evaluate(const AccountContext& ctx) const override {
    auto statuses = ReadStatuses(ctx);
    if (!statuses.ok()) return statuses.status();
    const StatusObservation* start = nullptr;
    for (const auto& s : *statuses) {
      if (s.state == "locked" || s.state == "suspended") {
        if (start == nullptr) start = &s;
      } else if (s.state == "active") {
        start = nullptr;
      }
    }
    std::vector<Finding> findings;
    if (start != nullptr) {
      findings.push_back(
          {std::to_string(start->seq), std::nullopt, {start->seq},
           "Your " + ctx.platform + " account (" + ctx.account + ") is shown as " + start->state +
               ". Take screenshots of everything you can still see (balance, task history, messages), write to "
               "support, and export your dossier now (temoin export); keep a copy of it outside this computer."});
    }
    return findings;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeAccountLockedRule() { return std::make_unique<AccountLockedRule>(); }

}  // namespace temoin::rules
