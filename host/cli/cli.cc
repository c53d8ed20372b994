#include <CLI/CLI.hpp>

#include "base/status.h"
#include "cli/commands.h"

namespace temoin::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk: return kExitOk;
    case Code::kInvalidArgument:
    case Code::kNotFound: return kExitUsage;
    case Code::kBadJson:
    case Code::kBadMessage: return kExitDataErr;
    case Code::kStorage:
    case Code::kIo: return kExitIoErr;
    default: return kExitSoftware;
  }
}

int RunCli(int argc, const char* const* argv, CliContext& ctx) {
  CLI::App app{"Témoin: a private record of your micro-task work, kept on your own machine.", "temoin"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show the help of every subcommand");

  AddStatusCommand(app, ctx);
  AddLogCommand(app, ctx);
  AddVerifyCommand(app, ctx);
  AddDemoCommand(app, ctx);
  AddRebuildCommand(app, ctx);
  AddInstallCommand(app, ctx);
  AddUninstallCommand(app, ctx);
  AddDoctorCommand(app, ctx);
  AddExportCommand(app, ctx);
  AddCheckCommand(app, ctx);
  AddAlertsCommand(app, ctx);
  AddAckCommand(app, ctx);
  AddConfigCommand(app, ctx);
  AddBackupCommand(app, ctx);
  AddVersionCommand(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    ctx.out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    ctx.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    ctx.err << "temoin: " << e.what() << "\n" << "Run 'temoin --help' for the list of commands.\n";
    return kExitUsage;
  }
  return ctx.exit_code;
}

}  // namespace temoin::cli
