// temoin export: writes an account's evidence dossier (dossier.html, tasks.csv, balances.csv, payouts.csv,
// events.jsonl) into a folder the worker names. See docs/export.md.
#include <filesystem>
#include <system_error>

#include "cli/commands.h"
#include "cli/open_store.h"
#include "export/dossier.h"
#include "export/lang.h"
#include "export/period.h"

namespace temoin::cli {

namespace {

struct ExportOptions {
  std::string account;  // PLATFORM/ACCOUNT
  std::string since, until;
  std::string lang = "en";
  std::string out;
  bool force = false;
};

Status Run(CliContext& ctx, const ExportOptions& o) {
  exporter::DossierOptions options;
  auto slash = o.account.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == o.account.size()) {
    return Status(Code::kInvalidArgument, "--account: expected PLATFORM/ACCOUNT (e.g. dataannotation/ana@example.org)");
  }
  options.platform = o.account.substr(0, slash);
  options.account = o.account.substr(slash + 1);
  if (!o.since.empty()) {
    auto since = exporter::ParseBound(o.since, exporter::Bound::kSince, ctx.clock);
    if (!since.ok()) return Status(Code::kInvalidArgument, "--since: " + since.status().message());
    options.period.since = *since;
  }
  if (!o.until.empty()) {
    auto until = exporter::ParseBound(o.until, exporter::Bound::kUntil, ctx.clock);
    if (!until.ok()) return Status(Code::kInvalidArgument, "--until: " + until.status().message());
    options.period.until = *until;
  }
  TEMOIN_RETURN_IF_ERROR(exporter::CheckPeriod(options.period));
  options.lang = o.lang;
  options.replace_files = o.force;

  std::filesystem::path dir(o.out);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(Code::kIo, "cannot create " + dir.string() + ": " + ec.message());
  auto db = OpenCaughtUpStore(ctx);
  if (!db.ok()) return db.status();
  auto result = exporter::WriteDossier(**db, ctx.clock, options, dir);
  if (!result.ok()) return result.status();

  const exporter::ChainSlice& chain = result->chain;
  ctx.out << "Dossier of " << options.platform << "/" << options.account << " written to " << dir.string() << "\n";
  for (const auto& name : result->files) ctx.out << "  " << name << "\n";
  ctx.out << result->tasks << " tasks, " << chain.events << " events";
  if (chain.events > 0) ctx.out << " (seq " << chain.first_seq << " to " << chain.last_seq << ")";
  ctx.out << "\n";
  if (chain.start_after_seq != 0) {
    ctx.out << "events.jsonl is a slice: it starts after seq " << chain.start_after_seq << ", hash " << chain.start_hash
            << "\n";
  }
  ctx.out << "head hash " << chain.head_hash << "\n";
  if (chain.broken_seq != 0) {
    ctx.out << "WARNING: the chain is broken at seq " << chain.broken_seq << ": " << chain.broken_reason << "\n";
  }
  ctx.out << "Check it with: temoin verify --file " << (dir / "events.jsonl").string() << "\n";
  return Status::Ok();
}

}  // namespace

void AddExportCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("export", "Write an account's evidence dossier (HTML, CSV, and the verifiable log)");
  auto o = std::make_shared<ExportOptions>();
  cmd->add_option("--account", o->account, "The account, as PLATFORM/ACCOUNT (e.g. dataannotation/ana@example.org)")
      ->required();
  cmd->add_option("--since", o->since, "From this date (YYYY-MM-DD, local day, included) or RFC 3339 time");
  cmd->add_option("--until", o->until, "Until this date (YYYY-MM-DD, local day, included) or RFC 3339 time (excluded)");
  cmd->add_option("--lang", o->lang, "Language of dossier.html: en or fr (default en)")
      ->check(CLI::IsMember(exporter::LanguageCodes()));
  cmd->add_option("--out", o->out, "The folder to write into (created if missing)")->required();
  cmd->add_flag("--force", o->force, "Replace dossier files already in the folder");
  cmd->callback([&ctx, o] {
    Status status = Run(ctx, *o);
    ctx.exit_code = status.ok() ? kExitOk : Fail(ctx, status);
  });
}

}  // namespace temoin::cli
