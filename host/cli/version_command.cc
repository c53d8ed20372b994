#include "cli/commands.h"
#include "protocol/extension_identity.h"
#include "store/migrations.h"

namespace temoin::cli {

void AddVersionCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("version", "Print the version of temoin and of the database schema it writes");
  cmd->callback([&ctx] {
    ctx.out << "temoin " << protocol::HostVersion() << " (database schema " << store::LatestSchemaVersion()
            << ", wire contract v1)\n";
    ctx.exit_code = kExitOk;
  });
}

}  // namespace temoin::cli
