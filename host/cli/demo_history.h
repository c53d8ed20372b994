// The demo's made-up but realistic history: about a hundred days of work ending today on two platforms —
// DataAnnotation (paid by the hour, in USD, withdrawn every two weeks at first, then left to grow) and Prolific
// (paid per study, in GBP, with earnings awaiting review and weekly cash-outs). Deterministic for a given clock.
#ifndef TEMOIN_CLI_DEMO_HISTORY_H_
#define TEMOIN_CLI_DEMO_HISTORY_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "platform/clock.h"

namespace temoin::cli {

inline constexpr int kDemoDays = 100;

// The contract v1 events of the demo, in the order a browser would have sent them.
std::vector<nlohmann::json> DemoHistory(const Clock& clock, int days = kDemoDays);

}  // namespace temoin::cli

#endif  // TEMOIN_CLI_DEMO_HISTORY_H_
