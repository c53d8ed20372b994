// temoin verify: walks every account's hash chain and reports the first broken link of each (exit 1).
#include "cli/commands.h"
#include "cli/open_store.h"
#include "store/verify.h"

namespace temoin::cli {

void AddVerifyCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("verify", "Check that the log's hash chains are intact (exit 1 if a link is broken)");
  auto json_output = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json_output, "Print the report as JSON");
  cmd->callback([&ctx, json_output] {
    auto db = OpenStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    auto report = store::VerifyLog(**db);
    if (!report.ok()) {
      ctx.exit_code = Fail(ctx, report.status());
      return;
    }
    Status integrity = (*db)->IntegrityCheck();
    if (*json_output) {
      nlohmann::json chains = nlohmann::json::array();
      for (const auto& [key, head] : report->chains) {
        chains.push_back({{"platform", key.first}, {"account", key.second}, {"events", head.events},
                          {"last_seq", head.last_seq}, {"head_hash", head.hash}});
      }
      nlohmann::json broken = nlohmann::json::array();
      for (const auto& b : report->broken) {
        broken.push_back({{"seq", b.seq}, {"platform", b.platform}, {"account", b.account}, {"reason", b.reason}});
      }
      ctx.out << nlohmann::json{{"ok", report->ok() && integrity.ok()}, {"events", report->events},
                                {"chains", chains}, {"broken", broken},
                                {"integrity", integrity.ok() ? "ok" : integrity.message()}}
                     .dump(2)
              << "\n";
    } else {
      for (const auto& b : report->broken) {
        ctx.out << "BROKEN at seq " << b.seq << " (" << b.platform << "/" << b.account << "): " << b.reason << "\n";
      }
      if (!integrity.ok()) ctx.out << "DAMAGED: " << integrity.message() << "\n";
      ctx.out << report->events << " events in " << report->chains.size() << " chains: "
              << (report->ok() && integrity.ok() ? "all links verified" : "the record has been altered") << "\n";
      for (const auto& [key, head] : report->chains) {
        ctx.out << "  " << key.first << "/" << key.second << ": " << head.events << " events, head " << head.hash
                << "\n";
      }
    }
    ctx.exit_code = report->ok() && integrity.ok() ? kExitOk : kExitProblemFound;
  });
}

}  // namespace temoin::cli
