// balance_dropped (warning): a balance falls by more than drop_tolerance beyond what the payouts recorded
// since the previous observation (or within payout_match_window_s after the fall) explain. A fall to zero or
// to no balance is balance_vanished only. Resolved when a matching payout is recorded in the window.
#include "rules/balance_scan.h"
#include "rules/rule.h"

namespace temoin::rules {

namespace {

class BalanceDroppedRule final : public BalanceFallRule {
 public:
  std::string_view kind() const override { return "balance_dropped"; }
  std::string_view severity() const override { return "warning"; }

 protected:
  bool Concerns(const BalanceFall& fall) const override { return !fall.vanished; }
  std::string Message(const AccountContext& ctx, const BalanceFall& f) const override {
    return "Your " + f.currency + " balance on " + ctx.platform + " fell from " + FormatMoney(f.prev_minor, f.currency) +
           " to " + FormatMoney(*f.now_minor, f.currency) + "; " + FormatMoney(f.unexplained_minor, f.currency) +
           " of that is not explained by any payout recorded. If you did not withdraw it, take screenshots of "
           "the balance and payment history, write to support, and export your dossier (temoin export).";
  }
};

}  // namespace

std::unique_ptr<Rule> MakeBalanceDroppedRule() { return std::make_unique<BalanceDroppedRule>(); }

}  // namespace temoin::rules
