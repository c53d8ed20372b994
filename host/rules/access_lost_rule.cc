// access_lost (warning): the account is seen `logged_out` again and again over access_lost_hours (default 24)
// while the worker keeps visiting: a first `logged_out` after the last `active`, and another `logged_out` at
// least that long after it, with no `active`, `locked` or `suspended` between (a lock is account_locked).
// Resolved when a later `active` state is seen.
#include "rules/rule.h"
#include "rules/status_history.h"

namespace temoin::rules {

namespace {

class AccessLostRule final : public Rule {
 public:
  std::string_view kind() const override { return "access_lost"; }
  std::string_view severity() const override { return "warning"; }
  bool TriggeredBy(protocol::EventType type) const override { return type == protocol::EventType::kAccountStatus; }
  bool time_based() const override { return true; }

  Result<std::vector<Finding>> Evaluate(const AccountContext& ctx) const override {
    auto statuses = ReadStatuses(ctx);
    if (!statuses.ok()) return statuses.status();
    const StatusObservation* first = nullptr;
    const StatusObservation* latest = nullptr;
    for (const auto& s : *statuses) {
      if (s.state == "logged_out") {
        if (first == nullptr) first = &s;
        latest = &s;
      } else if (s.state == "active" || s.state == "locked" || s.state == "suspended") {
        first = latest = nullptr;
      }
    }
    std::vector<Finding> findings;
    if (first != nullptr && latest->at_ms - first->at_ms >= ctx.thresholds.access_lost_ms) {
      findings.push_back(
          {std::to_string(first->seq), std::nullopt, {first->seq, latest->seq},
           "You have been logged out of " + ctx.platform + " (" + ctx.account + ") for " +
               FormatDuration(latest->at_ms - first->at_ms) +
               " while you kept visiting. If you cannot log back in, take screenshots of what the site shows, "
               "write to support, and export your dossier (temoin export)."});
    }
    return findings;
  }
};

}  // namespace

std::unique_ptr<Rule> MakeAccessLostRule() { return std::make_unique<AccessLostRule>(); }

}  // namespace temoin::rules
