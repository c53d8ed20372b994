// The walk shared by balance_vanished and balance_dropped: each balance series (account + currency) in page
// order (at, then seq), each observation compared with the previous real one, the payouts recorded between
// them (or within payout_match_window_s after the later one) set against the fall. A payout is counted
// against one fall only, the earliest it can explain.
//
// A `balance.missing` (with the series' currency, or with none, which concerns every series) is a fall to
// nothing only when no real observation follows it: if the balance shows again, the pair around the gap
// decides (back at its level: nothing; lower: a drop; zero: vanished).
#ifndef TEMOIN_RULES_BALANCE_SCAN_H_
#define TEMOIN_RULES_BALANCE_SCAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "rules/rule.h"

namespace temoin::rules {

struct BalanceFall {
  bool vanished = false;  // to zero or to no balance at all; else a drop
  std::string currency;
  std::int64_t prev_seq = 0;
  std::int64_t prev_minor = 0;
  std::int64_t seq = 0;                    // the observation that fell (a balance or a balance.missing)
  std::optional<std::int64_t> now_minor;   // nullopt: the page showed no balance
  std::int64_t unexplained_minor = 0;      // the part no payout explains (> the tolerance)
};

// A walk kept for the other rules of the same event (AccountContext::balance_scan).
struct BalanceScanCache {
  std::optional<std::vector<BalanceFall>> falls;
};

// The falls of every series of the account. On an event (ctx.changed_at set), only from BalanceWindowStart on:
// the walk starts at the last real observation before it, so the payouts spent by older falls are not known
// and each payout is set against the earliest fall it can explain within the walk.
Result<std::vector<BalanceFall>> ScanBalances(const AccountContext& ctx);

// The page time from which an event's balance walk starts; nullopt: the whole series.
std::optional<EpochMs> BalanceWindowStart(const AccountContext& ctx);

// Rule::Sees for the balance rules: the episode's first observation lies within the walk.
Result<bool> BalanceEpisodeSeen(const AccountContext& ctx, const std::string& episode);

// What balance_vanished and balance_dropped share: the events that wake them, the walk, one finding per fall of
// their kind (episode "<currency>:<seq of the observation before the fall>"). Each says which falls are its own
// and what to tell the worker.
class BalanceFallRule : public Rule {
 public:
  bool TriggeredBy(protocol::EventType type) const override;
  bool time_based() const override { return false; }
  Result<bool> Sees(const AccountContext& ctx, const std::string& episode) const override;
  Result<std::vector<Finding>> Evaluate(const AccountContext& ctx) const override;

 protected:
  virtual bool Concerns(const BalanceFall& fall) const = 0;
  virtual std::string Message(const AccountContext& ctx, const BalanceFall& fall) const = 0;
};

}  // namespace temoin::rules

#endif  // TEMOIN_RULES_BALANCE_SCAN_H_
