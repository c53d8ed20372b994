// The `temoin` subcommands. Each lives in its own <name>_command.cc and registers itself on the CLI11 app;
// its callback sets ctx.exit_code. To add one: write the file, declare its Add function here, call it in cli.cc.
#ifndef TEMOIN_CLI_COMMANDS_H_
#define TEMOIN_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

namespace temoin::cli {

void AddVersionCommand(CLI::App& app, CliContext& ctx);
void AddStatusCommand(CLI::App& app, CliContext& ctx);
void AddLogCommand(CLI::App& app, CliContext& ctx);
void AddVerifyCommand(CLI::App& app, CliContext& ctx);
void AddDemoCommand(CLI::App& app, CliContext& ctx);
void AddRebuildCommand(CLI::App& app, CliContext& ctx);
void AddInstallCommand(CLI::App& app, CliContext& ctx);
void AddUninstallCommand(CLI::App& app, CliContext& ctx);
void AddDoctorCommand(CLI::App& app, CliContext& ctx);
void AddExportCommand(CLI::App& app, CliContext& ctx);
void AddCheckCommand(CLI::App& app, CliContext& ctx);
void AddAlertsCommand(CLI::App& app, CliContext& ctx);
void AddAckCommand(CLI::App& app, CliContext& ctx);
void AddConfigCommand(CLI::App& app, CliContext& ctx);
void AddBackupCommand(CLI::App& app, CliContext& ctx);

// Parses argv and runs the chosen subcommand; returns the process's exit code.
int RunCli(int argc, const char* const* argv, CliContext& ctx);

}  // namespace temoin::cli

#endif  // TEMOIN_CLI_COMMANDS_H_
