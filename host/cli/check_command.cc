// temoin check: runs the time-based alert rules (tasks_dried_up, no_contact, unpaid_exposure, access_lost) once,
// for when no browser is open; meant for a timer (install/ sets up an hourly systemd user timer). Prints the
// alerts it raised or resolved, and shows each new one as a desktop notification through `notify-send` when
// that program is on PATH (no notifier: printed only, not an error).
//
// With --backup-dir DIR [--keep N] it then takes the daily backup (cli/daily_backup.h): a new copy in DIR when the
// newest there is 24 h old or more, keeping the newest N (7). The backup runs after the alerts were printed and
// notified, and also when the rules failed: one never hides the other.
//
// Exit codes, the first that applies: 74 the database could not be read or written (the rules failed);
// 73 the daily backup could not be written; 1 with --fail-on-alert when a new alert was raised, or when the
// daily backup found the log already altered (the copy is kept, as temoin backup does); else 0.
#include <unistd.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/daily_backup.h"
#include "cli/open_store.h"
#include "platform/subprocess.h"
#include "rules/alert_service.h"
#include "rules/log_follower.h"

namespace temoin::cli {

namespace {

std::optional<std::string> FindOnPath(const Environment& env, const std::string& name) {
  auto path = env.Get("PATH");
  if (!path) return std::nullopt;
  std::size_t start = 0;
  while (start <= path->size()) {
    std::size_t end = path->find(':', start);
    if (end == std::string::npos) end = path->size();
    std::string dir = path->substr(start, end - start);
    if (!dir.empty()) {
      std::filesystem::path candidate = std::filesystem::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate)) return candidate.string();
    }
    start = end + 1;
  }
  return std::nullopt;
}

void Notify(const std::string& notifier, const nlohmann::json& alert) {
  std::string severity = alert["severity"].get<std::string>();
  std::string urgency = severity == "critical" ? "critical" : severity == "warning" ? "normal" : "low";
  auto child = Subprocess::Spawn({notifier, "--app-name=Témoin", "--urgency=" + urgency,
                                  "Témoin: " + alert["kind"].get<std::string>() + " on " +
                                      alert["platform"].get<std::string>(),
                                  alert["message"].get<std::string>()},
                                 {}, true);
  if (!child.ok()) return;
  (*child)->CloseStdin();
  (void)(*child)->Wait(std::chrono::seconds(5));
}

struct CheckOptions {
  bool fail_on_alert = false;
  bool quiet = false;
  std::string backup_dir;
  int keep = kDefaultBackupKeep;
};

// Prints the alerts raised or resolved (and notifies the new ones); returns how many were raised.
int Report(CliContext& ctx, const std::vector<nlohmann::json>& pushes, const std::optional<std::string>& notifier) {
  int raised = 0;
  for (const auto& push : pushes) {
    const auto& a = push["alert"];
    bool resolved = a["state"] == "resolved";
    ctx.out << (resolved ? "resolved" : "NEW") << "  #" << a["id"].get<std::int64_t>() << "  "
            << a["severity"].get<std::string>() << "  " << a["kind"].get<std::string>() << "  "
            << a["platform"].get<std::string>() << " / " << a["account"].get<std::string>() << "\n";
    if (resolved) continue;
    ++raised;
    ctx.out << "    " << a["message"].get<std::string>() << "\n";
    if (notifier) Notify(*notifier, a);
  }
  if (pushes.empty()) ctx.out << "No new alert.\n";
  return raised;
}

// The daily backup; returns the exit code it asks for (0, 1 for a log altered before it, 73 when it failed).
int DailyBackup(CliContext& ctx, store::Database& db, const CheckOptions& o) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(o.backup_dir, ec).lexically_normal();
  auto outcome = RunDailyBackup(db, dir, o.keep, ctx.clock.NowMs());
  if (!outcome.ok()) {
    ctx.err << "temoin: daily backup FAILED: " << outcome.status().message() << "\n"
            << "temoin: no new backup was written; the backups already in " << dir.string() << " are untouched\n";
    return kExitBackupFailed;
  }
  if (!outcome->written) {
    ctx.out << "Daily backup: not due, the newest (" << outcome->path.filename().string()
            << ") is less than 24 h old.\n";
    return kExitOk;
  }
  ctx.out << "Daily backup: " << outcome->report.events << " events to " << outcome->path.string();
  if (!outcome->removed.empty()) {
    ctx.out << " (removed " << outcome->removed.size() << " older backup" << (outcome->removed.size() == 1 ? "" : "s")
            << ", keeping " << o.keep << ")";
  }
  ctx.out << "\n";
  for (const auto& w : outcome->warnings) ctx.err << "temoin: daily backup: " << w << "\n";
  return outcome->report.ok() ? kExitOk : kExitProblemFound;
}

}  // namespace

void AddCheckCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("check", "Run the time-based alert rules now (for a timer when no browser is open)");
  auto o = std::make_shared<CheckOptions>();
  cmd->add_flag("--fail-on-alert", o->fail_on_alert, "Exit 1 when a new alert was raised");
  cmd->add_flag("--no-notify", o->quiet, "Print only; no desktop notification");
  auto* backup_dir = cmd->add_option("--backup-dir", o->backup_dir,
                                     "Then back up the database into DIR if its newest daily backup is 24 h old "
                                     "or more (temoin-daily-<UTC time>.db)")
                         ->type_name("DIR");
  cmd->add_option("--keep", o->keep, "With --backup-dir: how many daily backups to keep (default 7)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000))
      ->needs(backup_dir);
  cmd->callback([&ctx, o, backup_dir] {
    if (backup_dir->count() > 0 && o->backup_dir.empty()) {
      ctx.exit_code = Fail(ctx, Status(Code::kInvalidArgument, "--backup-dir needs a folder"));
      return;
    }
    auto db = OpenStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    rules::AlertService alerts(**db, ctx.clock);
    std::vector<nlohmann::json> pushes;
    // Events a host logged but did not get to apply (it was killed) are judged first, by every rule.
    Status status = rules::LogFollower(**db, &alerts).CatchUp(&pushes);
    if (status.ok()) status = alerts.RunTimeRules(&pushes);
    int code = kExitOk;
    if (!status.ok()) {
      code = Fail(ctx, status);
    } else {
      std::optional<std::string> notifier;
      if (!o->quiet) notifier = FindOnPath(ctx.env, "notify-send");
      int raised = Report(ctx, pushes, notifier);
      if (o->fail_on_alert && raised > 0) code = kExitProblemFound;
    }
    if (!o->backup_dir.empty()) {
      // The rules' storage error stays first; then a failed backup; then "a problem found" (1).
      int backup = DailyBackup(ctx, **db, *o);
      if (code == kExitOk || (code == kExitProblemFound && backup == kExitBackupFailed)) code = backup;
    }
    ctx.exit_code = code;
  });
}

}  // namespace temoin::cli
