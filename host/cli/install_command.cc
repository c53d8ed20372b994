// temoin install: registers temoin-host with the browsers (host manifests, and on Linux the hourly check
// timer). The rules are in install/installer.h; this file reads the options and prints the outcome.
#include <unistd.h>

#include <memory>

#include "base/status.h"
#include "cli/commands.h"
#include "install/installer.h"
#include "install/target_user.h"
#include "platform/paths.h"

namespace temoin::cli {

namespace fs = std::filesystem;

namespace {

struct InstallOptions {
  bool system = false;
  bool dry_run = false;
  bool no_timer = false;
  std::string daily_backup;
  int daily_backup_keep = 0;
  bool no_daily_backup = false;
  std::vector<std::string> browsers;
  std::string profile;
  std::string host;
  std::vector<std::string> allow;
  std::string destdir;
};

int RunInstall(CliContext& ctx, const InstallOptions& o) {
  install::SystemUserDatabase users;
  auto user = install::ResolveTargetUser(ctx.env, users, ::geteuid(), ::getegid());
  if (!user.ok()) {
    ctx.err << "temoin install: " << user.status().message() << "\n";
    return ExitCodeFor(user.status());
  }
  install::TargetEnvironment target_env(ctx.env, *user);
  install::Request req;
  req.scope = o.system ? install::Scope::kSystem : install::Scope::kUser;
  req.browsers = o.browsers;
  if (!o.profile.empty()) req.profile_dir = fs::absolute(o.profile);
  if (!o.destdir.empty()) {
    if (!o.system) {
      ctx.err << "temoin install: --destdir stages a system-wide install; add --system\n";
      return kExitUsage;
    }
    req.root = fs::absolute(o.destdir);
  }
  req.host_path = fs::absolute(o.host.empty() ? ctx.HostBinary() : fs::path(o.host)).lexically_normal();
  req.cli_path = fs::absolute(ctx.bin_dir / "temoin").lexically_normal();
  req.timer = !o.no_timer;
  if (!o.daily_backup.empty()) {
    req.daily_backup_change = install::DailyBackupChange::kSet;
    req.daily_backup.dir = fs::absolute(o.daily_backup).lexically_normal();
    req.daily_backup.keep = o.daily_backup_keep;
  } else if (o.no_daily_backup) {
    req.daily_backup_change = install::DailyBackupChange::kRemove;
  }
  auto extra = install::ClassifyExtraIds(o.allow);
  if (!extra.ok()) {
    ctx.err << "temoin install: " << extra.status().message() << "\n";
    return kExitUsage;
  }
  req.extra = *extra;
  if (req.scope == install::Scope::kUser) {
    auto data_dir = DataDir(target_env);
    if (!data_dir.ok()) {
      ctx.err << "temoin install: " << data_dir.status().message() << "\n";
      return ExitCodeFor(data_dir.status());
    }
    req.data_dir = *data_dir;
  }

  // The host must be there, unless the install is only staged or printed.
  if (o.destdir.empty() && ::access(req.host_path.c_str(), X_OK) != 0) {
    std::string msg = "no executable temoin-host at " + req.host_path.string() +
                      "; pass its place with --host /path/to/temoin-host";
    if (!o.dry_run) {
      ctx.err << "temoin install: " << msg << "\n";
      return kExitUnavailable;
    }
    ctx.err << "temoin install: warning: " << msg << "\n";
  }

  auto plan = install::PlanInstall(req, *user, target_env);
  if (!plan.ok()) {
    ctx.err << "temoin install: " << plan.status().message() << "\n";
    return plan.status().code() == Code::kNotFound ? kExitProblemFound : ExitCodeFor(plan.status());
  }
  if (user->via_sudo && req.scope == install::Scope::kUser) {
    ctx.out << "Installing for " << user->name << " (" << user->home.string() << "), who ran sudo.\n";
  }
  if (!o.dry_run) {
    Status applied = install::ApplyPlan(*plan, *user, req.scope);
    if (!applied.ok()) {
      ctx.err << "temoin install: " << applied.message() << "\n"
              << "(the steps before this one were done; fix the cause and run temoin install again)\n";
      return ExitCodeFor(applied);
    }
  }
  ctx.out << install::DescribePlan(*plan, o.dry_run);
  if (o.dry_run) {
    ctx.out << "(dry run: nothing was written)\n";
  } else if (plan->refusals.empty()) {
    ctx.out << "\nNext: load the Témoin extension in your browser (see docs/install.md), then check everything "
               "with: temoin doctor\n";
  }
  return plan->refusals.empty() ? kExitOk : kExitProblemFound;
}

}  // namespace

void AddInstallCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("install", "Register temoin-host with your browsers (for you; --system for everyone)");
  auto o = std::make_shared<InstallOptions>();
  cmd->add_flag("--system", o->system, "Install system-wide for every user (needs sudo)");
  cmd->add_option("--browser", o->browsers,
                  "Only this browser (repeatable): " + install::BrowserKeys() + ", or all. Default: those found")
      ->type_name("NAME");
  cmd->add_flag("--dry-run", o->dry_run, "Print what would be written, and write nothing");
  cmd->add_option("--profile", o->profile,
                  "Install into a Chromium-family --user-data-dir (DIR/NativeMessagingHosts) instead")
      ->type_name("DIR");
  cmd->add_option("--host", o->host, "The temoin-host to register (default: the one beside temoin)")->type_name("PATH");
  cmd->add_option("--allow-extension", o->allow,
                  "Also allow this extension id (repeatable): a store listing's Chromium id, or a Firefox add-on id")
      ->type_name("ID");
  auto* no_timer =
      cmd->add_flag("--no-timer", o->no_timer, "Do not write the systemd user timer that runs temoin check hourly");
  auto* daily = cmd->add_option("--daily-backup", o->daily_backup,
                                "The hourly check also backs up the database into DIR once a day "
                                "(temoin check --backup-dir DIR); kept by later installs")
                    ->type_name("DIR")
                    ->excludes(no_timer);
  cmd->add_option("--daily-backup-keep", o->daily_backup_keep, "With --daily-backup: how many to keep (default 7)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000))
      ->needs(daily);
  cmd->add_flag("--no-daily-backup", o->no_daily_backup, "Remove the daily backup from the hourly check")
      ->excludes(daily);
  cmd->add_option("--destdir", o->destdir, "Packaging: stage a --system install under DIR")
      ->type_name("DIR")
      ->group("Packaging");
  cmd->callback([&ctx, o] { ctx.exit_code = RunInstall(ctx, *o); });
}

}  // namespace temoin::cli
