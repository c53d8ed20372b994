#include "rules/status_history.h"

#include <SQLiteCpp/Statement.h>

namespace temoin::rules {

Result<std::vector<StatusObservation>> ReadStatuses(const AccountContext& ctx) {
  std::vector<StatusObservation> out;
  Status status = store::CatchStorage("cannot read the account states", [&]() -> Status {
    auto q = ctx.db.Prepare(
        "SELECT seq, at_ms, state FROM statuses WHERE platform = ? AND account = ? ORDER BY at_ms, seq");
    q.bind(1, ctx.platform);
    q.bind(2, ctx.account);
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString()});
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace temoin::rules
