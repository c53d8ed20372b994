// The period a dossier covers, and how each of its parts is cut to it.
//
//  - A period is [since, until) in page time (the `at` the platform's page gave), like query.events. Either end
//    may be open. On the command line a bound is an RFC 3339 time or a bare date: `--since 2026-07-01` starts at
//    the beginning of that local day, `--until 2026-07-31` ends at the end of it (the day is included).
//  - Tasks belong to the period by the time they count on (submitted, else started, else abandoned), as in the
//    summary; balances, payouts, status reports and alerts by their own time.
//  - events.jsonl must stay a verifiable piece of the chain, so it is not filtered event by event: it holds the
//    contiguous run of the account's chain from the first link whose page time is in the period to the last
//    one (events that arrived late or early in between come along, and the dossier counts them). Its first
//    line's prev_hash is then the stated link it starts from — the genesis hash for a whole chain.
#ifndef TEMOIN_EXPORT_PERIOD_H_
#define TEMOIN_EXPORT_PERIOD_H_

#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "platform/clock.h"

namespace temoin::exporter {

struct Period {
  std::optional<EpochMs> since;  // inclusive
  std::optional<EpochMs> until;  // exclusive

  bool whole() const { return !since && !until; }
  // The bounds as numbers for SQL (open ends at the extremes).
  EpochMs lo() const { return since.value_or(std::numeric_limits<EpochMs>::min()); }
  EpochMs hi() const { return until.value_or(std::numeric_limits<EpochMs>::max()); }
};

enum class Bound { kSince, kUntil };

// Parses a command-line bound: RFC 3339, or YYYY-MM-DD as a local day (the start of that day for --since, the
// start of the next for --until).
Result<EpochMs> ParseBound(std::string_view text, Bound bound, const Clock& clock);

// Checks since < until when both are set.
Status CheckPeriod(const Period& period);

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_PERIOD_H_
