// Installing and uninstalling Témoin's host manifests, in two steps: plan (decide every file, folder and
// registry value to write or remove, reading the disk but changing nothing), then apply. `--dry-run` prints
// the plan. Planning is where the rules live:
//   - which browsers: those named with --browser ("all" for every one), else those found in the home folder
//     (per user) or on the system (--system);
//   - per user by default, system-wide with Scope::kSystem, or one Chromium --user-data-dir (profile_dir);
//   - a manifest of another program under our name is never replaced or removed: it becomes a refusal;
//   - Flatpak browsers get their manifest inside their sandbox folder, pointing at a wrapper that leaves the
//     sandbox with flatpak-spawn; snap browsers get a notice saying what works and what does not;
//   - on Linux a per-user install also writes the systemd user units that run `temoin check` hourly, with
//     `--backup-dir DIR [--keep N]` when a daily backup is asked for (it stays asked for on later installs
//     until removed).
#ifndef TEMOIN_INSTALL_INSTALLER_H_
#define TEMOIN_INSTALL_INSTALLER_H_

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "install/browsers.h"
#include "install/manifest.h"
#include "install/target_user.h"
#include "platform/environment.h"

namespace temoin::install {

enum class Scope { kUser, kSystem };

// The optional daily backup the hourly `temoin check` takes: `check --backup-dir DIR [--keep N]`.
struct DailyBackup {
  std::filesystem::path dir;  // absolute
  int keep = 0;               // 0: check's default (7)
  bool operator==(const DailyBackup&) const = default;
};

// What an install does to the daily backup of an existing service unit: keep it as it is (the default, so a
// plain `temoin install` run again does not silently drop it), set it, or remove it.
enum class DailyBackupChange { kKeep, kSet, kRemove };

struct Request {
  Scope scope = Scope::kUser;
  Os os = CurrentOs();
  std::vector<std::string> browsers;               // keys; empty: the browsers found; {"all"}: every browser
  std::optional<std::filesystem::path> profile_dir;  // a Chromium-family --user-data-dir
  std::filesystem::path host_path;                 // absolute path of temoin-host
  std::filesystem::path cli_path;                  // absolute path of temoin (for the timer)
  ExtraIds extra;                                  // --allow-extension
  bool timer = true;                               // write the systemd user units (Linux, per user)
  DailyBackupChange daily_backup_change = DailyBackupChange::kKeep;  // --daily-backup / --no-daily-backup
  DailyBackup daily_backup;                        // kSet: what to write
  std::filesystem::path data_dir;                  // the target user's data folder (host.json)
  // A prefix for every system path, read or written: "/" normally; a staging folder when packaging
  // (`--destdir`), a temporary folder in tests.
  std::filesystem::path root = "/";
};

// One place a browser reads a host manifest from.
struct Location {
  std::vector<std::string> browsers;  // display names of the browsers that read it ("Chromium", "Brave")
  std::vector<std::string> keys;      // their --browser keys
  Family family = Family::kChromium;
  std::filesystem::path manifest;     // the file (root prefix applied)
  std::string flatpak_id;             // non-empty: inside this Flatpak app's sandbox folder
  std::filesystem::path wrapper;      // Flatpak: the script the manifest's path names
  std::string registry_key;           // Windows: "HKEY_CURRENT_USER\Software\...\org.temoin.host"
  std::filesystem::path stop_dir;     // uninstall removes emptied folders up to, not including, this one
};

struct Action {
  enum class Kind { kWriteFile, kRemoveFile, kRemoveEmptyDirs, kSetRegistry, kDeleteRegistry };
  Kind kind = Kind::kWriteFile;
  std::filesystem::path path;       // file or folder; for registry actions the manifest path
  std::string content;              // kWriteFile
  unsigned mode = 0644;             // kWriteFile
  bool private_parent = false;      // kWriteFile: create missing parents 0700 (the data folder)
  std::filesystem::path stop_dir;   // kRemoveEmptyDirs: stop below this folder
  std::string registry_key;         // registry actions
  std::string what;                 // "host manifest for Chromium, Brave"
};

struct Plan {
  std::vector<Action> actions;
  std::vector<std::string> unchanged;  // already as they should be
  std::vector<std::string> notices;    // things the user should know or do (snap, flatpak override, timer)
  std::vector<std::string> refusals;   // files we will not touch: another program's
  std::vector<Location> locations;     // the manifests planned (for doctor and reports)
};

// Where the browsers named or found read manifests, for this request. Also used by doctor.
// `notices` receives what the user should know about sandboxed (snap/Flatpak) browsers found.
Result<std::vector<Location>> FindLocations(const Request& req, const TargetUser& user, bool for_uninstall,
                                            std::vector<std::string>* notices);

Result<Plan> PlanInstall(const Request& req, const TargetUser& user, const Environment& target_env);
Result<Plan> PlanUninstall(const Request& req, const TargetUser& user, const Environment& target_env);

// Carries out a plan. Under sudo (user.via_sudo) with Scope::kUser, every folder created and file written is
// chowned to the user. Stops at the first failure and says which step failed.
Status ApplyPlan(const Plan& plan, const TargetUser& user, Scope scope);

// Human-readable plan: what was (or, with dry_run, would be) written, with the files' content in dry runs.
std::string DescribePlan(const Plan& plan, bool dry_run);

// `abs`, a system path, under a request's root ("/" leaves it as it is).
std::filesystem::path UnderRoot(const std::filesystem::path& root, const std::filesystem::path& abs);

// The Flatpak wrapper script for a host binary, and the host path read back from one (empty if not ours).
std::string FlatpakWrapper(const std::filesystem::path& host_path);
std::filesystem::path HostFromFlatpakWrapper(const std::string& script);

// The systemd user units (Linux): temoin-check.service runs `<cli> check` (with `--backup-dir DIR [--keep N]`
// when `backup` is given); temoin-check.timer, hourly.
std::string CheckServiceUnit(const std::filesystem::path& cli_path,
                             const std::optional<DailyBackup>& backup = std::nullopt);
// The daily backup a service unit's ExecStart asks for, read back (nullopt: none, or not one we wrote).
std::optional<DailyBackup> DailyBackupFromServiceUnit(const std::string& unit);
// One argument of an Exec line, quoted for systemd when needed: spaces, quotes, backslashes and control
// characters inside double quotes with C escapes; `%` and `$` doubled (specifiers and variables stay literal).
std::string SystemdQuote(const std::string& arg);
// Splits an Exec line's value into its arguments, undoing SystemdQuote.
std::vector<std::string> SystemdSplit(const std::string& line);
std::string CheckTimerUnit();
// The folder of systemd user units for the target environment: $XDG_CONFIG_HOME/systemd/user or
// ~/.config/systemd/user.
std::filesystem::path SystemdUserDir(const Environment& target_env, const TargetUser& user);

}  // namespace temoin::install

#endif  // TEMOIN_INSTALL_INSTALLER_H_
