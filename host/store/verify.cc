#include "store/verify.h"

#include <nlohmann/json.hpp>

namespace temoin::store {

std::string CheckLink(const LoggedEvent& e, const std::string& expected_prev_hash) {
  if (e.prev_hash != expected_prev_hash) {
    return "its prev_hash does not match the previous link of the account's chain (a row was removed, inserted "
           "or reordered before it)";
  }
  if (LinkHash(e.prev_hash, CanonicalRow(e.seq, e.received_at, e.body)) != e.hash) {
    return "its hash does not match its content (the row was edited)";
  }
  // The hashed body is the truth; the columns beside it must agree with it, or a reader of the columns is misled.
  auto body = nlohmann::json::parse(e.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return "its body is not a JSON object";
  auto field = [&](const char* key) { return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : ""; };
  if (field("id") != e.id || field("type") != e.type || field("platform") != e.platform ||
      field("account") != e.account || field("at") != e.at) {
    return "its columns (id, type, platform, account, at) disagree with its hashed body (the row was edited)";
  }
  return "";
}

Result<VerifyReport> VerifyLog(Database& db) {
  VerifyReport report;
  std::map<std::pair<std::string, std::string>, bool> already_broken;
  EventLog log(db);
  Status status = log.ForEach([&](const LoggedEvent& e) -> Status {
    ++report.events;
    auto key = std::make_pair(e.platform, e.account);
    ChainHead& head = report.chains[key];
    std::string expected = head.events == 0 ? std::string(kGenesisHash) : head.hash;
    std::string reason = CheckLink(e, expected);
    if (!reason.empty() && !already_broken[key]) {
      already_broken[key] = true;
      report.broken.push_back({e.seq, e.platform, e.account, reason});
    }
    ++head.events;
    head.last_seq = e.seq;
    head.hash = e.hash;  // carry on from the stored hash, so one edit is reported once, not for every later row
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return report;
}

}  // namespace temoin::store
