// EventLog: the append-only, hash-chained log of everything the host accepted (docs/protocol.md, "The log and
// its chain"). This is the source of truth; every other table is derived from it (store/projections.h).
//
// Append is idempotent by event id: the same id with the same canonical body returns the first seq and
// `duplicate`; the same id with another body is refused (bad_message on `id`). Append must run inside a
// transaction (Database::Begin); the caller commits, and only then may it acknowledge.
#ifndef TEMOIN_STORE_EVENT_LOG_H_
#define TEMOIN_STORE_EVENT_LOG_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "base/status.h"
#include "platform/clock.h"
#include "store/database.h"

namespace temoin::store {

// The first link of every chain points at this.
inline constexpr char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

// What an append needs to know of an event. `body` is the event's canonical JSON.
struct NewEvent {
  std::string id;
  std::string type;
  std::string platform;
  std::string account;
  std::string at;  // page time as given
  EpochMs at_ms = 0;
  std::string body;
};

struct AppendResult {
  std::int64_t seq = 0;
  bool duplicate = false;
};

// A row of the log as stored.
struct LoggedEvent {
  std::int64_t seq = 0;
  std::string id;
  std::string type;
  std::string platform;
  std::string account;
  std::string at;
  EpochMs at_ms = 0;
  std::string received_at;
  std::string body;
  std::string prev_hash;
  std::string hash;
};

struct EventFilter {
  std::optional<std::string> platform;
  std::optional<std::string> account;
  std::optional<std::string> type;
  std::optional<EpochMs> since;  // page time, inclusive
  std::optional<EpochMs> until;  // page time, exclusive
  std::int64_t after_seq = 0;
  int limit = 100;
};

// The canonical row the chain hashes, and the hash of a link. Exposed so that verify --file and tests compute
// them the same way.
std::string CanonicalRow(std::int64_t seq, const std::string& received_at, const std::string& body);
std::string LinkHash(const std::string& prev_hash, const std::string& canonical_row);
// The same link hash, SHA-256 of prev_hash and CanonicalRow, with the row fed to the hash in pieces instead of
// built as a string: what append and verify (a million rows) compute.
Sha256Digest LinkDigest(std::string_view prev_hash, std::int64_t seq, std::string_view received_at,
                        std::string_view body);

class EventLog {
 public:
  explicit EventLog(Database& db) : db_(db) {}

  // Appends (or recognises a duplicate). `received_ms` is the host's receive time.
  Result<AppendResult> Append(const NewEvent& event, EpochMs received_ms);

  // Events matching the filter, in seq order, at most filter.limit of them. By account (platform and account)
  // or by type, up to the projection mark through the log's orders (store/projections.h,
  // MarkProjectedThrough), after it from the log itself: every event of the log, caught up or not.
  Result<std::vector<LoggedEvent>> Read(const EventFilter& filter);

  // Calls `visit` for every event in seq order (a rebuild); stops early on a non-OK Status.
  Status ForEach(const std::function<Status(const LoggedEvent&)>& visit);

  // The seq of the latest event, 0 for an empty log.
  Result<std::int64_t> LastSeq();

  // The seq of the account's latest event with page time `at_ms`, or none: after the projection mark from the
  // log itself, up to it from the account's order (as Read).
  Result<std::optional<std::int64_t>> LatestSeqAt(const std::string& platform, const std::string& account,
                                                  EpochMs at_ms);

 private:
  Database& db_;
  // The last received time formatted: a batch's events share one (its formatting was 1% of an event).
  EpochMs received_ms_ = -1;
  std::string received_at_;
};

}  // namespace temoin::store

#endif  // TEMOIN_STORE_EVENT_LOG_H_
