// temoin alerts [--all] [--json]: the open alerts (or all of them), newest last.
#include "cli/commands.h"
#include "cli/open_store.h"
#include "rules/alert_store.h"

namespace temoin::cli {

void AddAlertsCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("alerts", "List the open alerts (--all: every alert, also acknowledged and resolved)");
  auto all = std::make_shared<bool>(false);
  auto json_output = std::make_shared<bool>(false);
  cmd->add_flag("--all", *all, "Also acknowledged and resolved alerts");
  cmd->add_flag("--json", *json_output, "Print the alerts as a JSON array (the query.alerts items)");
  cmd->callback([&ctx, all, json_output] {
    auto db = OpenCaughtUpStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    auto rows = rules::AlertStore(**db).List(!*all, std::nullopt, std::nullopt, 0, 1'000'000);
    if (!rows.ok()) {
      ctx.exit_code = Fail(ctx, rows.status());
      return;
    }
    if (*json_output) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& r : *rows) list.push_back(rules::AlertToJson(r));
      ctx.out << list.dump(2) << "\n";
    } else if (rows->empty()) {
      ctx.out << (*all ? "No alert was ever raised.\n" : "No open alert.\n");
    } else {
      for (const auto& r : *rows) {
        ctx.out << "#" << r.id << "  " << r.severity << "  " << r.kind << "  " << r.platform << " / " << r.account
                << "  raised " << r.raised_at << "  [" << r.state;
        if (r.acknowledged_at) ctx.out << ", acknowledged " << *r.acknowledged_at;
        if (r.resolved_at) ctx.out << ", resolved " << *r.resolved_at;
        ctx.out << "]\n    " << r.message << "\n";
      }
      if (!*all) ctx.out << "Acknowledge one with: temoin ack ID\n";
    }
    ctx.exit_code = kExitOk;
  });
}

}  // namespace temoin::cli
