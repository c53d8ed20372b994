#include "store/verify.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "store/body_fields.h"

namespace temoin::store {

namespace {

// The link's hash recomputed (docs/protocol.md) and compared with the stored hex, without building either.
bool HashHolds(const EventView& e) {
  Sha256Digest digest = LinkDigest(e.prev_hash, e.seq, e.received_at, e.body);
  if (e.hash.size() != 2 * digest.size()) return false;
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < digest.size(); ++i) {
    if (e.hash[2 * i] != kHex[digest[i] >> 4] || e.hash[2 * i + 1] != kHex[digest[i] & 0xf]) return false;
  }
  return true;
}

// The body's five fields as nlohmann reads them: the slow path, for the bodies ScanBodyFields is not sure of.
std::string CheckColumnsParsed(const EventView& e) {
  auto body = nlohmann::json::parse(e.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return "its body is not a JSON object";
  auto field = [&](const char* key) {
    return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
  };
  if (field("id") != e.id || field("type") != e.type || field("platform") != e.platform ||
      field("account") != e.account || field("at") != e.at) {
    return "its columns (id, type, platform, account, at) disagree with its hashed body (the row was edited)";
  }
  return "";
}

constexpr char kUnlinked[] =
    "its prev_hash does not match the previous link of the account's chain (a row was removed, inserted or "
    "reordered before it)";

// Everything CheckLink checks but the link to the previous row.
std::string CheckContent(const EventView& e) {
  if (!HashHolds(e)) return "its hash does not match its content (the row was edited)";
  // The hashed body is the truth; the columns beside it must agree with it, or a reader of the columns is misled.
  BodyFields f;
  if (!ScanBodyFields(e.body, &f)) return CheckColumnsParsed(e);
  if (f.id != e.id || f.type != e.type || f.platform != e.platform || f.account != e.account || f.at != e.at) {
    return "its columns (id, type, platform, account, at) disagree with its hashed body (the row was edited)";
  }
  return "";
}

}  // namespace

std::string CheckLink(const EventView& e, std::string_view expected_prev_hash) {
  if (e.prev_hash != expected_prev_hash) return kUnlinked;
  return CheckContent(e);
}

std::string CheckLink(const LoggedEvent& e, const std::string& expected_prev_hash) {
  return CheckLink(EventView{e.seq, e.id, e.type, e.platform, e.account, e.at, e.received_at, e.body, e.prev_hash,
                             e.hash},
                   expected_prev_hash);
}

Result<RangeWalk> WalkRange(Database& db, std::int64_t after_seq, std::int64_t last_seq) {
  RangeWalk walk;
  Status status = CatchStorage("cannot read the event log", [&]() -> Status {
    // Read through SQLite's C API (RawStatement): every column a view, no string copied per row
    // (docs/performance.md).
    auto q = db.PrepareRaw(
        "SELECT seq, id, type, platform, account, at, received_at, body, prev_hash, hash FROM events "
        "WHERE seq > :after AND seq <= :last ORDER BY seq");
    q.Bind(":after", after_seq);
    q.Bind(":last", last_seq);
    // Rows come in runs of one account (a session), so the chain of the previous row is looked up first.
    const std::pair<std::string, std::string>* key = nullptr;
    ChainRun* run = nullptr;
    while (q.Step()) {
      EventView e{q.Int(0),  q.Text(1), q.Text(2), q.Text(3), q.Text(4),
                  q.Text(5), q.Text(6), q.Text(7), q.Text(8), q.Text(9)};
      ++walk.events;
      if (run == nullptr || key->first != e.platform || key->second != e.account) {
        auto it = walk.chains.try_emplace({std::string(e.platform), std::string(e.account)}).first;
        key = &it->first;
        run = &it->second;
      }
      if (run->events == 0) {
        run->first_seq = e.seq;
        run->first_prev_hash.assign(e.prev_hash);
        run->first_reason = CheckContent(e);
      } else if (!run->broken) {
        std::string reason = CheckLink(e, run->last_hash);
        if (!reason.empty()) run->broken = BrokenLink{e.seq, key->first, key->second, reason};
      }
      ++run->events;
      run->last_seq = e.seq;
      run->last_hash.assign(e.hash);  // carry on from the stored hash, so one edit is reported once, not for every later row
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return walk;
}

VerifyReport MergeWalks(const std::vector<RangeWalk>& walks) {
  VerifyReport report;
  std::set<std::pair<std::string, std::string>> broken_chains;
  for (const RangeWalk& walk : walks) {
    report.events += walk.events;
    for (const auto& [key, run] : walk.chains) {
      ChainHead& head = report.chains[key];
      if (!broken_chains.contains(key)) {
        std::string_view expected = head.events == 0 ? std::string_view(kGenesisHash) : std::string_view(head.hash);
        std::string reason = run.first_prev_hash != expected ? kUnlinked : run.first_reason;
        if (!reason.empty()) {
          report.broken.push_back({run.first_seq, key.first, key.second, reason});
          broken_chains.insert(key);
        } else if (run.broken) {
          report.broken.push_back(*run.broken);
          broken_chains.insert(key);
        }
      }
      head.events += run.events;
      head.last_seq = run.last_seq;
      head.hash = run.last_hash;
    }
  }
  // One walk found them chain by chain; the report lists them in seq order, as a single walk meets them.
  std::sort(report.broken.begin(), report.broken.end(),
            [](const BrokenLink& a, const BrokenLink& b) { return a.seq < b.seq; });
  return report;
}

Result<VerifyReport> VerifyLog(Database& db) {
  auto walk = WalkRange(db, 0, std::numeric_limits<std::int64_t>::max());
  if (!walk.ok()) return walk.status();
  std::vector<RangeWalk> walks;
  walks.push_back(std::move(*walk));
  return MergeWalks(walks);
}

}  // namespace temoin::store
