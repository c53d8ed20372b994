// temoin status: the summary the popup shows, as a table or as JSON (the query.summary rows).
#include <iomanip>
#include <sstream>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "protocol/money.h"
#include "store/summary.h"

namespace temoin::cli {

namespace {

std::string Hours(std::int64_t seconds) {
  std::ostringstream out;
  out << seconds / 3600 << "h" << std::setw(2) << std::setfill('0') << (seconds % 3600) / 60;
  return out.str();
}

std::string MoneyOrDash(const std::optional<std::int64_t>& minor, int exponent, const std::string& suffix = "") {
  return minor ? protocol::FormatAmount(*minor, exponent) + suffix : "-";
}

void PrintTable(std::ostream& out, const std::vector<store::AccountSummary>& rows) {
  if (rows.empty()) {
    out << "No activity recorded yet. Work on a platform with the extension installed, or try 'temoin demo'.\n";
    return;
  }
  for (const auto& r : rows) {
    std::string currency = r.currency.value_or("");
    out << r.platform << " / " << r.account << (r.currency ? "  (" + currency + ")" : "") << "\n";
    out << "  state           " << r.state << (r.state_at ? " since " + *r.state_at : "") << "\n";
    out << "  balance         " << MoneyOrDash(r.balance_minor, r.exponent, " " + currency)
        << (r.balance_at ? "  seen " + *r.balance_at : "") << "\n";
    if (r.pending_minor) out << "  pending         " << MoneyOrDash(r.pending_minor, r.exponent, " " + currency) << "\n";
    out << "  unpaid since    " << r.unpaid_since.value_or("-") << "\n";
    for (const auto& [label, f] : {std::pair<const char*, const store::PeriodFigures&>{"today ", r.today},
                                   std::pair<const char*, const store::PeriodFigures&>{"7 days", r.week}}) {
      out << "  " << label << "          " << f.tasks << " tasks, " << Hours(f.task_seconds) << " on tasks, "
          << Hours(f.platform_seconds) << " on the platform";
      if (r.currency) {
        out << ", earned " << protocol::FormatAmount(f.earned_minor, r.exponent) << (f.earned_estimated ? " (est.)" : "")
            << ", real rate " << MoneyOrDash(f.effective_hourly_minor, r.exponent, "/h") << " (advertised "
            << MoneyOrDash(f.advertised_hourly_minor, r.exponent, "/h") << ")";
      }
      out << "\n";
    }
    out << "  last seen       " << r.last_seen << "\n";
    out << "  open alerts     " << r.open_alerts << "\n\n";
  }
}

}  // namespace

void AddStatusCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("status", "Show each account: unpaid balance, today's and this week's work, alerts");
  auto json_output = std::make_shared<bool>(false);
  auto platform = std::make_shared<std::string>();
  auto account = std::make_shared<std::string>();
  cmd->add_flag("--json", *json_output, "Print the query.summary rows as JSON");
  cmd->add_option("--platform", *platform, "Only this platform (e.g. dataannotation)");
  cmd->add_option("--account", *account, "Only this account");
  cmd->callback([&ctx, json_output, platform, account] {
    auto db = OpenCaughtUpStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    auto rows = store::Summarize(**db, ctx.clock, platform->empty() ? std::nullopt : std::optional(*platform),
                                 account->empty() ? std::nullopt : std::optional(*account));
    if (!rows.ok()) {
      ctx.exit_code = Fail(ctx, rows.status());
      return;
    }
    if (*json_output) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& row : *rows) list.push_back(store::SummaryToJson(row));
      ctx.out << list.dump(2) << "\n";
    } else {
      PrintTable(ctx.out, *rows);
    }
    ctx.exit_code = kExitOk;
  });
}

}  // namespace temoin::cli
