// One alert rule (docs/alerts.md). A rule looks at one account's derived tables and says which of its
// episodes hold now; it never writes. The AlertService reconciles that answer with the `alerts` table: an
// episode that holds and has no alert yet is raised (once: alerts are unique per kind, account and episode),
// an open or acknowledged alert whose episode no longer holds is resolved. Because a rule always recomputes
// from the observations in page time (at, then seq), a late event re-evaluates the episode it belongs to.
#ifndef TEMOIN_RULES_RULE_H_
#define TEMOIN_RULES_RULE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "platform/clock.h"
#include "protocol/messages.h"
#include "rules/settings.h"
#include "store/account_rows.h"
#include "store/database.h"

namespace temoin::rules {

struct BalanceScanCache;

struct AccountContext {
  store::Database& db;
  std::string platform;
  std::string account;
  const Thresholds& thresholds;
  EpochMs now = 0;  // the host clock
  // Set when the rules run for one event: its page time. A rule may then read only the part of the history
  // that event can change (and says which episodes it saw, Rule::Sees); nullopt means the whole history.
  std::optional<EpochMs> changed_at;
  // The balance walk (rules/balance_scan.h), shared by the rules that run for one event on one account: the
  // first to need it fills it; nothing those rules write changes it. Null: each walks for itself.
  BalanceScanCache* balance_scan = nullptr;
  // The account's row as the catch-up applying the event holds it, ahead of the table (store/account_rows.h);
  // null: the table has it. Read it with AccountRowOf.
  const store::AccountRow* account_row = nullptr;
};

// The account's row (its latest page time, visit, task event, state), or nullopt if the account has none.
// Throws like SQLite::Statement: for use inside store::CatchStorage.
std::optional<store::AccountRow> AccountRowOf(const AccountContext& ctx);

// An episode that holds.
struct Finding {
  std::string episode;                  // stable key: the same situation gives the same key
  std::optional<std::string> currency;  // for money rules
  std::vector<std::int64_t> evidence;   // seqs of the events it rests on
  std::string message;                  // what the worker should do, in plain words
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual std::string_view kind() const = 0;
  virtual std::string_view severity() const = 0;  // critical | warning | info
  // Whether an event of this type can change the rule's answer.
  virtual bool TriggeredBy(protocol::EventType type) const = 0;
  // Whether the passing of time alone can change it (run by the timer and `temoin check`).
  virtual bool time_based() const = 0;
  // Every episode of the rule that holds for the account (within what it read, see changed_at).
  virtual Result<std::vector<Finding>> Evaluate(const AccountContext& ctx) const = 0;
  // Whether Evaluate(ctx) could have found `episode`. An unresolved alert whose episode it could not see is
  // left as it is: a look at the recent past cannot say that an older episode ended. Rules that always read
  // the whole history keep the default.
  virtual Result<bool> Sees(const AccountContext& ctx, const std::string& episode) const {
    (void)ctx;
    (void)episode;
    return true;
  }
};

std::unique_ptr<Rule> MakeBalanceVanishedRule();
std::unique_ptr<Rule> MakeBalanceDroppedRule();
std::unique_ptr<Rule> MakeAccountLockedRule();
std::unique_ptr<Rule> MakeAccessLostRule();
std::unique_ptr<Rule> MakeTasksDriedUpRule();
std::unique_ptr<Rule> MakeNoContactRule();
std::unique_ptr<Rule> MakeUnpaidExposureRule();

// All seven, in a fixed order.
std::vector<std::unique_ptr<Rule>> AllRules();

// Helpers shared by the rules' messages.
std::string FormatMoney(std::int64_t minor, const std::string& currency);
std::string FormatDuration(std::int64_t ms);  // "3 days", "26 hours"

}  // namespace temoin::rules

#endif  // TEMOIN_RULES_RULE_H_
