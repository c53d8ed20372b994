#include "rules/status_history.h"

#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>

namespace temoin::rules {

Result<std::vector<StatusObservation>> ReadStatuses(const AccountContext& ctx) {
  std::vector<StatusObservation> out;
  Status status = store::CatchStorage("cannot read the account states", [&]() -> Status {
    SQLite::Statement q(ctx.db.sql(),
                        "SELECT seq, at_ms, body FROM events WHERE platform = ? AND account = ? "
                        "AND type = 'account.status' ORDER BY at_ms, seq");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    while (q.executeStep()) {
      auto body = nlohmann::json::parse(q.getColumn(2).getString(), nullptr, false);
      if (!body.is_object() || !body.contains("state") || !body["state"].is_string()) continue;
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), body["state"].get<std::string>()});
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace temoin::rules
