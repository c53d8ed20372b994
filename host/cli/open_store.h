// Opening the worker's database from a CLI command: the data folder from the environment, made private, then
// the database (migrated like the host does). Errors come back as a Status for the command to print.
#ifndef TEMOIN_CLI_OPEN_STORE_H_
#define TEMOIN_CLI_OPEN_STORE_H_

#include <memory>

#include "cli/cli_context.h"
#include "store/database.h"

namespace temoin::cli {

Result<std::unique_ptr<store::Database>> OpenStore(const CliContext& ctx);

// Prints "temoin: <message>" to ctx.err and returns the exit code for the status.
int Fail(CliContext& ctx, const Status& status);

}  // namespace temoin::cli

#endif  // TEMOIN_CLI_OPEN_STORE_H_
