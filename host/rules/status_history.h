// The account.status observations of one account in page order (at, then seq), from the derived `statuses`
// table (every observation; `accounts` keeps only the latest). Shared by account_locked and access_lost.
#ifndef TEMOIN_RULES_STATUS_HISTORY_H_
#define TEMOIN_RULES_STATUS_HISTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "rules/rule.h"

namespace temoin::rules {

struct StatusObservation {
  std::int64_t seq;
  EpochMs at_ms;
  std::string state;
};

Result<std::vector<StatusObservation>> ReadStatuses(const AccountContext& ctx);

}  // namespace temoin::rules

#endif  // TEMOIN_RULES_STATUS_HISTORY_H_
