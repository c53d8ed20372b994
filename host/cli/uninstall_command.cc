// temoin uninstall: removes Témoin's host manifests (and its Flatpak wrappers and systemd user units), only
// ours: a file of another program under our name is left alone and named. The worker's data is never touched.
#include <unistd.h>

#include <memory>

#include "base/status.h"
#include "cli/commands.h"
#include "install/installer.h"
#include "install/target_user.h"

namespace temoin::cli {

namespace fs = std::filesystem;

namespace {

struct UninstallOptions {
  bool system = false;
  bool dry_run = false;
  std::vector<std::string> browsers;
  std::string profile;
  std::string destdir;
};

int RunUninstall(CliContext& ctx, const UninstallOptions& o) {
  install::SystemUserDatabase users;
  auto user = install::ResolveTargetUser(ctx.env, users, ::geteuid(), ::getegid());
  if (!user.ok()) {
    ctx.err << "temoin uninstall: " << user.status().message() << "\n";
    return ExitCodeFor(user.status());
  }
  install::TargetEnvironment target_env(ctx.env, *user);
  install::Request req;
  req.scope = o.system ? install::Scope::kSystem : install::Scope::kUser;
  req.browsers = o.browsers;
  if (!o.profile.empty()) req.profile_dir = fs::absolute(o.profile);
  if (!o.destdir.empty()) {
    if (!o.system) {
      ctx.err << "temoin uninstall: --destdir goes with --system\n";
      return kExitUsage;
    }
    req.root = fs::absolute(o.destdir);
  }
  auto plan = install::PlanUninstall(req, *user, target_env);
  if (!plan.ok()) {
    ctx.err << "temoin uninstall: " << plan.status().message() << "\n";
    return ExitCodeFor(plan.status());
  }
  if (!o.dry_run) {
    Status applied = install::ApplyPlan(*plan, *user, req.scope);
    if (!applied.ok()) {
      ctx.err << "temoin uninstall: " << applied.message() << "\n";
      return ExitCodeFor(applied);
    }
  }
  ctx.out << install::DescribePlan(*plan, o.dry_run);
  if (o.dry_run) ctx.out << "(dry run: nothing was removed)\n";
  if (!o.dry_run && req.scope == install::Scope::kUser) {
    ctx.out << "Your record (the data folder) is kept; delete it yourself if you want it gone.\n";
  }
  return plan->refusals.empty() ? kExitOk : kExitProblemFound;
}

}  // namespace

void AddUninstallCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("uninstall", "Remove Témoin's host manifests from your browsers (your data is kept)");
  auto o = std::make_shared<UninstallOptions>();
  cmd->add_flag("--system", o->system, "Remove the system-wide manifests (needs sudo)");
  cmd->add_option("--browser", o->browsers, "Only this browser (repeatable): " + install::BrowserKeys())
      ->type_name("NAME");
  cmd->add_flag("--dry-run", o->dry_run, "Print what would be removed, and remove nothing");
  cmd->add_option("--profile", o->profile, "Remove from a Chromium-family --user-data-dir instead")->type_name("DIR");
  cmd->add_option("--destdir", o->destdir, "Packaging: a staged --system install under DIR")
      ->type_name("DIR")
      ->group("Packaging");
  cmd->callback([&ctx, o] { ctx.exit_code = RunUninstall(ctx, *o); });
}

}  // namespace temoin::cli
