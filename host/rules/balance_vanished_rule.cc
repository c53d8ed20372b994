// balance_vanished (critical): a balance falls to zero, or a page that showed it shows none, while the
// previous balance was above zero and no payout explains it. Resolved when a payout recorded within
// payout_match_window_s after the fall explains it, or when the balance shows again at its level.
#include "rules/balance_scan.h"
#include "rules/rule.h"

namespace temoin::rules {

namespace {

class BalanceVanishedRule final : public BalanceFallRule {
 public:
  std::string_view kind() const override { return "balance_vanished"; }
  std::string_view severity() const override { return "critical"; }

 protected:
  bool Concerns(const BalanceFall& fall) const override { return fall.vanished; }
  std::string Message(const AccountContext& ctx, const BalanceFall& f) const override {
    std::string was = FormatMoney(f.prev_minor, f.currency);
    std::string how = f.now_minor ? "fell from " + was + " to zero" : "(" + was + ") is no longer shown";
    return "Your " + f.currency + " balance on " + ctx.platform + " " + how +
           ", and no payout you received explains it. Take screenshots of the balance and payment pages now, "
           "write to the platform's support asking where the money went, and export your dossier "
           "(temoin export) while the record is fresh.";
  }
};

}  // namespace

std::unique_ptr<Rule> MakeBalanceVanishedRule() { return std::make_unique<BalanceVanishedRule>(); }

}  // namespace temoin::rules
