// temoin ack ID: acknowledge an alert (recorded in the account's chained log as alert.acknowledged).
#include "cli/commands.h"
#include "cli/open_store.h"
#include "rules/alert_service.h"

namespace temoin::cli {

void AddAckCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("ack", "Acknowledge an alert: you have seen it (it stays in the record)");
  auto id = std::make_shared<std::int64_t>(0);
  cmd->add_option("ID", *id, "The alert's number, as 'temoin alerts' shows it")->required()->check(CLI::PositiveNumber);
  cmd->callback([&ctx, id] {
    auto db = OpenCaughtUpStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    rules::AlertService alerts(**db, ctx.clock);
    std::vector<nlohmann::json> pushes;
    auto reply = alerts.HandleQuery({"cli", "alert.ack", protocol::AlertAck{*id}}, &pushes);
    if (!reply || !(*reply)["ok"].get<bool>()) {
      std::string message = reply ? (*reply)["error"]["message"].get<std::string>() : "cannot acknowledge";
      ctx.err << "temoin: " << message << "\n";
      ctx.exit_code = reply && (*reply)["error"]["code"] == "bad_message" ? kExitUsage : kExitIoErr;
      return;
    }
    const auto& a = (*reply)["alert"];
    ctx.out << "Alert #" << *id << " (" << a["kind"].get<std::string>() << ") acknowledged at "
            << a["acknowledged_at"].get<std::string>() << ".\n";
    ctx.exit_code = kExitOk;
  });
}

}  // namespace temoin::cli
