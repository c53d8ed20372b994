#include "cli/daily_backup.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <utility>

#include "protocol/timestamp.h"
#include "store/backup.h"

namespace temoin::cli {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "temoin-daily-";
constexpr std::string_view kSuffix = ".db";

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Creates `dir` 0700 if it is missing and its parent exists; refuses anything that is not a folder.
Status EnsureBackupDir(const fs::path& dir) {
  struct stat st{};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return Status(Code::kIo, "the backup folder " + dir.string() + " is not a folder");
    return Status::Ok();
  }
  if (errno != ENOENT) {
    return Status(Code::kIo, "cannot reach the backup folder " + dir.string() + ": " + std::strerror(errno));
  }
  std::error_code ec;
  if (!fs::is_directory(dir.parent_path(), ec)) {
    return Status(Code::kIo, "the backup folder " + dir.string() + " does not exist, nor does " +
                                 dir.parent_path().string() + " (is the backup disk mounted?)");
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status(Code::kIo, "cannot create the backup folder " + dir.string() + ": " + std::strerror(errno));
  }
  ::chmod(dir.c_str(), 0700);  // mkdir's mode is filtered by the umask
  return Status::Ok();
}

struct Existing {
  EpochMs at;
  fs::path path;
};

// The daily backups in `dir`: regular files (not links, not folders) whose name has the daily shape.
Result<std::vector<Existing>> ListDailyBackups(const fs::path& dir) {
  std::vector<Existing> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return Status(Code::kIo, "cannot read the backup folder " + dir.string() + ": " + ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return Status(Code::kIo, "cannot read the backup folder " + dir.string() + ": " + ec.message());
    auto at = ParseDailyBackupName(it->path().filename().string());
    if (!at) continue;
    std::error_code type_ec;
    if (!fs::is_regular_file(fs::symlink_status(it->path(), type_ec))) continue;
    out.push_back({*at, it->path()});
  }
  if (ec) return Status(Code::kIo, "cannot read the backup folder " + dir.string() + ": " + ec.message());
  // Newest first (equal times cannot happen: the name is the time).
  std::sort(out.begin(), out.end(), [](const Existing& a, const Existing& b) { return a.at > b.at; });
  return out;
}

}  // namespace

std::string CompactUtc(EpochMs at) {
  // "2026-07-14T09:30:00.123Z" -> "20260714T093000Z"
  std::string text = protocol::FormatUtc(at);
  std::string out;
  for (char c : text.substr(0, 19)) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out + "Z";
}

std::string DailyBackupName(EpochMs at) { return std::string(kPrefix) + CompactUtc(at) + std::string(kSuffix); }

std::optional<EpochMs> ParseDailyBackupName(std::string_view name) {
  // temoin-daily-YYYYMMDDTHHMMSSZ.db
  if (name.size() != kPrefix.size() + 16 + kSuffix.size()) return std::nullopt;
  if (name.substr(0, kPrefix.size()) != kPrefix || name.substr(name.size() - kSuffix.size()) != kSuffix) {
    return std::nullopt;
  }
  std::string_view t = name.substr(kPrefix.size(), 16);
  if (!AllDigits(t.substr(0, 8)) || t[8] != 'T' || !AllDigits(t.substr(9, 6)) || t[15] != 'Z') return std::nullopt;
  std::string rfc3339 = std::string(t.substr(0, 4)) + "-" + std::string(t.substr(4, 2)) + "-" +
                        std::string(t.substr(6, 2)) + "T" + std::string(t.substr(9, 2)) + ":" +
                        std::string(t.substr(11, 2)) + ":" + std::string(t.substr(13, 2)) + "Z";
  auto at = protocol::ParseRfc3339(rfc3339);
  if (!at.ok()) return std::nullopt;
  // Only a name this program would write (no 25:61:61 read as another time).
  if (DailyBackupName(*at) != name) return std::nullopt;
  return *at;
}

Result<DailyBackupOutcome> RunDailyBackup(store::Database& db, const fs::path& dir, int keep, EpochMs now) {
  if (!dir.is_absolute()) return Status(Code::kInvalidArgument, "the backup folder must be an absolute path");
  if (keep < 1) return Status(Code::kInvalidArgument, "--keep must be at least 1");
  TEMOIN_RETURN_IF_ERROR(EnsureBackupDir(dir));
  auto existing = ListDailyBackups(dir);
  if (!existing.ok()) return existing.status();

  DailyBackupOutcome outcome;
  // The newest backup not dated in the future (a file named while the clock was wrong must not stop backups).
  auto newest = std::find_if(existing->begin(), existing->end(), [&](const Existing& e) { return e.at <= now; });
  if (newest != existing->end() && now - newest->at < kDailyBackupIntervalMs) {
    outcome.path = newest->path;
    outcome.newest_at = newest->at;
    return outcome;
  }

  fs::path dest = dir / DailyBackupName(now);
  auto report = store::WriteBackup(db, dest);
  if (!report.ok()) return report.status();
  outcome.written = true;
  outcome.path = dest;
  outcome.report = std::move(*report);
  if (!outcome.report.ok()) {
    outcome.warnings.push_back("the log was already altered before this backup (run temoin verify); no older "
                               "backup was removed, since they may be the only unaltered copies");
    return outcome;
  }

  // Keep the new one and the newest keep - 1 others.
  int kept = 1;
  for (const Existing& e : *existing) {
    if (e.path == dest) continue;
    if (kept < keep) {
      ++kept;
      continue;
    }
    std::error_code ec;
    if (fs::remove(e.path, ec)) {
      outcome.removed.push_back(e.path);
    } else if (ec) {
      outcome.warnings.push_back("cannot remove the old backup " + e.path.string() + ": " + ec.message());
    }
  }
  return outcome;
}

}  // namespace temoin::cli
