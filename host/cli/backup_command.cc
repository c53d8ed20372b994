// temoin backup DEST: a consistent copy of the database, taken with SQLite's online backup API while hosts may
// be writing (they are not stopped and lose nothing: in WAL mode the copy reads one snapshot and writers go on).
//
// DEST is a file, or an existing folder (then the copy is DEST/temoin-backup-<UTC time>.db). The copy is written
// beside DEST under a temporary name (mode 0600), switched to a single self-contained file (journal_mode=DELETE,
// no -wal), checked (PRAGMA integrity_check and every hash chain), flushed to disk and only then renamed to DEST
// (store/backup.h, shared with the daily backup of `temoin check --backup-dir`, cli/daily_backup.h).
// An existing DEST is replaced only with --force. The report names each chain's head hash: keep it somewhere
// else (a mail to yourself) and it pins the log (docs/security.md). Restoring is described in docs/testing.md and
// docs/security.md ("Backup and restore").
#include <filesystem>

#include "cli/commands.h"
#include "cli/daily_backup.h"
#include "cli/open_store.h"
#include "store/backup.h"
#include "store/database.h"
#include "store/verify.h"

namespace temoin::cli {

namespace {

namespace fs = std::filesystem;

struct BackupOptions {
  std::string dest;
  bool force = false;
  bool json = false;
};

int RunBackup(CliContext& ctx, const BackupOptions& o) {
  if (o.dest.empty()) return Fail(ctx, Status(Code::kInvalidArgument, "backup needs a destination (a file or folder)"));
  fs::path dest = fs::absolute(o.dest);
  std::error_code ec;
  if (fs::is_directory(dest, ec)) dest /= "temoin-backup-" + CompactUtc(ctx.clock.NowMs()) + ".db";
  if (!fs::is_directory(dest.parent_path(), ec)) {
    return Fail(ctx, Status(Code::kIo, "the folder " + dest.parent_path().string() + " does not exist"));
  }
  if (fs::exists(dest, ec) && !o.force) {
    return Fail(ctx, Status(Code::kInvalidArgument, dest.string() + " already exists (use --force to replace it)"));
  }

  auto db = OpenStore(ctx);
  if (!db.ok()) return Fail(ctx, db.status());
  auto report = store::WriteBackup(**db, dest);
  if (!report.ok()) return Fail(ctx, report.status());

  if (o.json) {
    nlohmann::json chains = nlohmann::json::array();
    for (const auto& [key, head] : report->chains) {
      chains.push_back({{"platform", key.first}, {"account", key.second}, {"events", head.events},
                        {"last_seq", head.last_seq}, {"head_hash", head.hash}});
    }
    ctx.out << nlohmann::json{{"path", dest.string()}, {"events", report->events}, {"chains_ok", report->ok()},
                              {"chains", chains}}
                   .dump(2)
            << "\n";
  } else {
    ctx.out << "Backed up " << report->events << " events to " << dest.string() << "\n";
    if (!report->ok()) {
      ctx.out << "WARNING: the log was already altered before this backup (run temoin verify)\n";
    }
    for (const auto& [key, head] : report->chains) {
      ctx.out << "  " << key.first << "/" << key.second << ": " << head.events << " events, head " << head.hash << "\n";
    }
    ctx.out << "To restore it, see docs/security.md (\"Backup and restore\").\n";
  }
  // The copy is faithful either way; a log altered before the backup is reported like verify does.
  return report->ok() ? kExitOk : kExitProblemFound;
}

}  // namespace

void AddBackupCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand(
      "backup", "Copy the database to DEST (a file or folder) safely, even while browsers are writing to it");
  auto o = std::make_shared<BackupOptions>();
  cmd->add_option("DEST", o->dest, "The backup file, or a folder to write temoin-backup-<time>.db into")->required();
  cmd->add_flag("--force", o->force, "Replace DEST if it exists");
  cmd->add_flag("--json", o->json, "Print the report as JSON");
  cmd->callback([&ctx, o] { ctx.exit_code = RunBackup(ctx, *o); });
}

}  // namespace temoin::cli
