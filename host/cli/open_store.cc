#include "cli/open_store.h"

#include "platform/paths.h"
#include "rules/alert_service.h"
#include "rules/log_follower.h"

namespace temoin::cli {

Result<std::unique_ptr<store::Database>> OpenStore(const CliContext& ctx) {
  auto dir = DataDir(ctx.env);
  if (!dir.ok()) return dir.status();
  TEMOIN_RETURN_IF_ERROR(EnsurePrivateDataDir(*dir));
  // The CLI may wait a little longer than the host for a busy database: no browser is waiting on it.
  store::OpenOptions options;
  options.busy_timeout_ms = 5000;
  return store::Database::Open(DatabasePath(*dir), options);
}

Result<std::unique_ptr<store::Database>> OpenCaughtUpStore(CliContext& ctx) {
  auto db = OpenStore(ctx);
  if (!db.ok()) return db;
  rules::AlertService alerts(**db, ctx.clock);
  rules::LogFollower follower(**db, &alerts);
  Status status = follower.CatchUp(/*pushes=*/nullptr);
  if (!status.ok()) {
    ctx.err << "temoin: warning: the summary tables are behind the event log (" << status.message()
            << "); what follows may miss the latest events\n";
  }
  return db;
}

int Fail(CliContext& ctx, const Status& status) {
  ctx.err << "temoin: " << status.message() << "\n";
  return ExitCodeFor(status);
}

}  // namespace temoin::cli
