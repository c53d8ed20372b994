// temoin rebuild: empties the derived tables (tasks, balances, payouts, activity, accounts, alerts, settings) and
// replays the whole log into them. The log is the source of truth; this is how a damaged or deleted summary
// table, or a projection changed by a new version, is put right. The log itself is never touched.
#include "cli/commands.h"
#include "cli/open_store.h"
#include "rules/alert_service.h"
#include "store/event_log.h"
#include "store/projections.h"

namespace temoin::cli {

void AddRebuildCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("rebuild", "Rebuild the summary tables and alerts from the event log");
  cmd->callback([&ctx] {
    // Caught up first: the rules judge any event a killed host left unapplied, and their alerts are then in
    // the log that the rebuild replays.
    auto db = OpenCaughtUpStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    rules::AlertService alerts(**db, ctx.clock);
    store::Projections projections(**db);
    Status status = projections.Rebuild([&](const store::LoggedEvent& e) { return alerts.ReplayHostEvent(e); });
    if (!status.ok()) {
      ctx.exit_code = Fail(ctx, status);
      return;
    }
    auto last = store::EventLog(**db).LastSeq();
    ctx.out << "Rebuilt the summary tables from " << (last.ok() ? *last : 0) << " logged events.\n";
    ctx.exit_code = kExitOk;
  });
}

}  // namespace temoin::cli
