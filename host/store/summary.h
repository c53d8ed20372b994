// The popup's questions, answered from the derived tables: the per-account summary (query.summary) and the
// balance chart (query.balance_history). Definitions of every figure are in docs/protocol.md; "today" and
// "the last 7 days" are the host's local days, taken from the injected clock.
#ifndef TEMOIN_STORE_SUMMARY_H_
#define TEMOIN_STORE_SUMMARY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "platform/clock.h"
#include "store/database.h"

namespace temoin::store {

struct PeriodFigures {
  std::int64_t tasks = 0;
  std::int64_t task_seconds = 0;
  std::int64_t platform_seconds = 0;
  std::int64_t earned_minor = 0;
  bool earned_estimated = false;
  std::optional<std::int64_t> advertised_hourly_minor;
  std::optional<std::int64_t> effective_hourly_minor;
};

struct AccountSummary {
  std::string platform;
  std::string account;
  std::optional<std::string> currency;  // nullopt: no money seen yet on this account
  int exponent = 2;
  std::optional<std::int64_t> balance_minor;
  std::optional<std::int64_t> pending_minor;
  std::optional<std::string> balance_at;
  std::optional<std::string> unpaid_since;
  std::optional<EpochMs> unpaid_since_ms;
  PeriodFigures today;
  PeriodFigures week;
  std::string state;  // latest account.status, "active" if none
  std::optional<std::string> state_at;
  std::string last_seen;
  EpochMs last_seen_ms = 0;
  std::int64_t open_alerts = 0;
};

struct BalancePoint {
  std::string day;  // local day, YYYY-MM-DD
  std::int64_t balance_minor = 0;
  std::string at;
};

Result<std::vector<AccountSummary>> Summarize(Database& db, const Clock& clock,
                                              const std::optional<std::string>& platform = std::nullopt,
                                              const std::optional<std::string>& account = std::nullopt);

Result<std::vector<BalancePoint>> BalanceHistory(Database& db, const Clock& clock, const std::string& platform,
                                                 const std::string& account, const std::string& currency, int days);

// The wire form of one summary row (docs/protocol.md, query.summary), appended to *out as compact JSON text with
// its keys sorted, as protocol::Serialize writes them: the host writes query.summary's reply as text, the
// popup's hot path (docs/performance.md).
void AppendSummaryJson(std::string* out, const AccountSummary& summary);
// The same row as a JSON value (temoin status --json, tests).
nlohmann::json SummaryToJson(const AccountSummary& summary);

}  // namespace temoin::store

#endif  // TEMOIN_STORE_SUMMARY_H_
