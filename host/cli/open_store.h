// Opening the worker's database from a CLI command: the data folder from the environment, made private, then
// the database (migrated like the host does). Errors come back as a Status for the command to print.
#ifndef TEMOIN_CLI_OPEN_STORE_H_
#define TEMOIN_CLI_OPEN_STORE_H_

#include <memory>

#include "cli/cli_context.h"
#include "store/database.h"

namespace temoin::cli {

Result<std::unique_ptr<store::Database>> OpenStore(const CliContext& ctx);

// OpenStore, then the derived tables and the alerts brought up to the log (rules/log_follower.h), for the
// commands that read them: a host may have stopped before it caught up. Alerts that raises are recorded, not
// printed (`temoin check` catches up itself, to report them). A catch-up that fails is a warning on ctx.err,
// not an error: the log is intact, and a full disk must not hide the figures the worker needs most then.
Result<std::unique_ptr<store::Database>> OpenCaughtUpStore(CliContext& ctx);

// Prints "temoin: <message>" to ctx.err and returns the exit code for the status.
int Fail(CliContext& ctx, const Status& status);

}  // namespace temoin::cli

#endif  // TEMOIN_CLI_OPEN_STORE_H_
