// temoin config [--platform P --account A] [KEY=VALUE...]: show or change the alert thresholds, for every
// account (no --platform/--account) or for one. Values are checked like config.set (protocol::ValidateSettings);
// each change is recorded in the log as config.set.
#include "cli/commands.h"
#include "cli/open_store.h"
#include "protocol/alert_settings.h"
#include "rules/alert_service.h"

namespace temoin::cli {

void AddConfigCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("config", "Show or set the alert thresholds (KEY=VALUE, see docs/alerts.md)");
  auto platform = std::make_shared<std::string>();
  auto account = std::make_shared<std::string>();
  auto pairs = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--platform", *platform, "Only this platform's account (with --account)");
  cmd->add_option("--account", *account, "Only this account (with --platform)");
  cmd->add_option("SETTINGS", *pairs, "KEY=VALUE, e.g. unpaid_threshold=50 dried_up_days=5");
  cmd->callback([&ctx, platform, account, pairs] {
    if (platform->empty() != account->empty()) {
      ctx.err << "temoin: --platform and --account go together\n";
      ctx.exit_code = kExitUsage;
      return;
    }
    nlohmann::json settings = nlohmann::json::object();
    for (const auto& pair : *pairs) {
      auto eq = pair.find('=');
      if (eq == std::string::npos) {
        ctx.err << "temoin: '" << pair << "' is not KEY=VALUE\n";
        ctx.exit_code = kExitUsage;
        return;
      }
      std::string key = pair.substr(0, eq), value = pair.substr(eq + 1);
      bool amount = false;
      for (const auto& spec : protocol::AlertSettingSpecs()) {
        if (spec.key == key) amount = spec.is_amount;
      }
      if (amount) {
        settings[key] = value;
      } else {
        try {
          std::size_t used = 0;
          long long n = std::stoll(value, &used);
          settings[key] = used == value.size() ? nlohmann::json(n) : nlohmann::json(value);
        } catch (const std::exception&) {
          settings[key] = value;  // ValidateSettings names it
        }
      }
    }
    Status valid = protocol::ValidateSettings(settings);
    if (!valid.ok()) {
      ctx.err << "temoin: " << valid.message() << "\n";
      ctx.exit_code = kExitUsage;
      return;
    }
    auto db = OpenCaughtUpStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    protocol::AccountScope scope;
    if (!platform->empty()) {
      scope.platform = *platform;
      scope.account = *account;
    }
    rules::AlertService alerts(**db, ctx.clock);
    std::vector<nlohmann::json> pushes;
    std::optional<nlohmann::json> reply;
    if (settings.empty()) {
      reply = alerts.HandleQuery({"cli", "config.get", protocol::ConfigGet{scope}}, &pushes);
    } else {
      reply = alerts.HandleQuery({"cli", "config.set", protocol::ConfigSet{scope, settings}}, &pushes);
    }
    if (!reply || !(*reply)["ok"].get<bool>()) {
      ctx.err << "temoin: " << (reply ? (*reply)["error"]["message"].get<std::string>() : "cannot") << "\n";
      ctx.exit_code = kExitIoErr;
      return;
    }
    ctx.out << (scope.platform ? "Alert thresholds for " + *platform + " / " + *account : std::string("Alert thresholds for every account"))
            << (settings.empty() ? "" : " (updated)") << ":\n";
    for (const auto& spec : protocol::AlertSettingSpecs()) {
      const auto& v = (*reply)["config"][std::string(spec.key)];
      ctx.out << "  " << spec.key << " = " << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
    }
    ctx.exit_code = kExitOk;
  });
}

}  // namespace temoin::cli
