// The daily backup that `temoin check --backup-dir DIR [--keep N]` takes after running the alert rules (the
// hourly timer that runs check can so keep a rotation of copies; `temoin install --daily-backup DIR` sets it up).
//
//   - Due when DIR holds no daily backup, or the newest one is 24 h old or more. Age is read from the UTC time in
//     the file's name, measured against the injected clock (never the file's mtime), so tests can fake weeks.
//   - Named temoin-daily-<UTC time>.db (temoin-daily-20261129T073100Z.db) and written by store::WriteBackup: the
//     same online backup, checks (integrity and every chain), 0600 temporary file, fsync and rename as
//     `temoin backup`.
//   - DIR is created 0700 when missing, but only if its parent exists: a backup disk that is not mounted is an
//     error, not a new folder on the internal disk. An existing DIR keeps its mode (it may be a mount point).
//   - After a good new backup, only the newest `keep` daily backups stay; the one just written always does.
//     Only files whose whole name has the daily shape are ever removed: nothing else in DIR is touched
//     (temoin backup's own temoin-backup-*.db files included). When the copy shows the log was altered before
//     the backup, nothing is removed: the older copies may be the only unaltered ones.
#ifndef TEMOIN_CLI_DAILY_BACKUP_H_
#define TEMOIN_CLI_DAILY_BACKUP_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "platform/clock.h"
#include "store/database.h"
#include "store/verify.h"

namespace temoin::cli {

// `temoin check` exit code when the daily backup could not be written (EX_CANTCREAT); the alerts were run,
// printed and notified before.
inline constexpr int kExitBackupFailed = 73;
inline constexpr int kDefaultBackupKeep = 7;
inline constexpr EpochMs kDailyBackupIntervalMs = 24LL * 60 * 60 * 1000;

// "20260714T093000Z": a UTC time for a file name (seconds precision).
std::string CompactUtc(EpochMs at);

// "temoin-daily-20260714T093000Z.db".
std::string DailyBackupName(EpochMs at);
// The time a daily backup's file name stands for; nullopt for any name not exactly of that shape.
std::optional<EpochMs> ParseDailyBackupName(std::string_view file_name);

struct DailyBackupOutcome {
  bool written = false;                        // false: the newest daily backup is less than 24 h old
  std::filesystem::path path;                  // the new backup, or (not written) the newest one
  EpochMs newest_at = 0;                       // not written: the time of the newest one
  store::VerifyReport report;                  // written: the copy's own verification
  std::vector<std::filesystem::path> removed;  // older daily backups removed beyond `keep`
  std::vector<std::string> warnings;           // e.g. an old backup that could not be removed
};

// Takes the daily backup of `db` into `dir` (absolute) if one is due at `now`, then keeps the newest `keep` (>= 1).
Result<DailyBackupOutcome> RunDailyBackup(store::Database& db, const std::filesystem::path& dir, int keep,
                                          EpochMs now);

}  // namespace temoin::cli

#endif  // TEMOIN_CLI_DAILY_BACKUP_H_
