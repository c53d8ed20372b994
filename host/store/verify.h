// Verifying the log's hash chains (temoin verify). Walks every event in seq order, recomputes each link from
// the stored columns with the documented algorithm (docs/protocol.md), and checks that the columns say what
// the hashed body says. What this proves, and what it cannot, is in docs/security.md.
#ifndef TEMOIN_STORE_VERIFY_H_
#define TEMOIN_STORE_VERIFY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "store/database.h"
#include "store/event_log.h"

namespace temoin::store {

struct BrokenLink {
  std::int64_t seq = 0;
  std::string platform;
  std::string account;
  std::string reason;
};

struct ChainHead {
  std::int64_t events = 0;
  std::int64_t last_seq = 0;
  std::string hash;
};

struct VerifyReport {
  std::int64_t events = 0;
  std::map<std::pair<std::string, std::string>, ChainHead> chains;  // by (platform, account)
  std::vector<BrokenLink> broken;  // the first broken link of each broken chain, in seq order

  bool ok() const { return broken.empty(); }
};

// A row of the log as SQLite hands it over, without copies: verify reads a million of them. The views live as
// long as the row they were read from.
struct EventView {
  std::int64_t seq = 0;
  std::string_view id, type, platform, account, at, received_at, body, prev_hash, hash;
};

// Checks one link given the previous hash of its chain; empty string when it holds, else the reason.
std::string CheckLink(const EventView& event, std::string_view expected_prev_hash);
std::string CheckLink(const LoggedEvent& event, const std::string& expected_prev_hash);

Result<VerifyReport> VerifyLog(Database& db);

// The walk in pieces, so that ranges of seq can be walked at once on several connections
// (store/verify_parallel.h). One account's chain as seen within a range:
struct ChainRun {
  std::int64_t events = 0;
  std::int64_t first_seq = 0;
  std::string first_prev_hash;  // the first row's link to the chain before the range is checked by MergeWalks
  std::string first_reason;     // the first row's other checks (hash, columns): empty when they hold
  std::optional<BrokenLink> broken;  // the first broken link after the first row, within the range
  std::int64_t last_seq = 0;
  std::string last_hash;
};

struct RangeWalk {
  std::int64_t events = 0;
  std::map<std::pair<std::string, std::string>, ChainRun> chains;
};

// Walks the rows with after_seq < seq <= last_seq, in seq order.
Result<RangeWalk> WalkRange(Database& db, std::int64_t after_seq, std::int64_t last_seq);
// Joins the walks of consecutive ranges, in seq order, into the report one walk of the whole log gives.
VerifyReport MergeWalks(const std::vector<RangeWalk>& walks);

}  // namespace temoin::store

#endif  // TEMOIN_STORE_VERIFY_H_
