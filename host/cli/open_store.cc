#include "cli/open_store.h"

#include "platform/paths.h"

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

int Fail(CliContext& ctx, const Status& status) {
  ctx.err << "temoin: " << status.message() << "\n";
  return ExitCodeFor(status);
}

}  // namespace temoin::cli
