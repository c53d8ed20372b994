// temoin check: runs the time-based alert rules (tasks_dried_up, no_contact, unpaid_exposure, access_lost) once,
// for when no browser is open; meant for a timer (install/ sets up an hourly systemd user timer). Prints the
// alerts it raised or resolved, and shows each new one as a desktop notification through `notify-send` when
// that program is on PATH (no notifier: printed only, not an error).
//
// Exit codes: 0 ran (with or without new alerts); with --fail-on-alert, 1 when it raised at least one;
// 74 the database could not be read or written.
#include <unistd.h>

#include <filesystem>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "platform/subprocess.h"
#include "rules/alert_service.h"

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

}  // namespace

void AddCheckCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("check", "Run the time-based alert rules now (for a timer when no browser is open)");
  auto fail_on_alert = std::make_shared<bool>(false);
  auto quiet = std::make_shared<bool>(false);
  cmd->add_flag("--fail-on-alert", *fail_on_alert, "Exit 1 when a new alert was raised");
  cmd->add_flag("--no-notify", *quiet, "Print only; no desktop notification");
  cmd->callback([&ctx, fail_on_alert, quiet] {
    auto db = OpenStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    rules::AlertService alerts(**db, ctx.clock);
    std::vector<nlohmann::json> pushes;
    Status status = alerts.RunTimeRules(&pushes);
    if (!status.ok()) {
      ctx.exit_code = Fail(ctx, status);
      return;
    }
    std::optional<std::string> notifier;
    if (!*quiet) notifier = FindOnPath(ctx.env, "notify-send");
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
    ctx.exit_code = *fail_on_alert && raised > 0 ? kExitProblemFound : kExitOk;
  });
}

}  // namespace temoin::cli
