#include "export/downloads.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>

#include "platform/paths.h"
#include "platform/subprocess.h"
#include "protocol/timestamp.h"

namespace temoin::exporter {

namespace fs = std::filesystem;

namespace {

// The xdg-user-dir program on the environment's PATH (or the usual places), if any.
std::optional<fs::path> FindXdgUserDir(const Environment& env) {
  std::string path = env.Get("PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty() || dir[0] != '/') continue;
    fs::path candidate = fs::path(dir) / "xdg-user-dir";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::optional<fs::path> AskXdgUserDir(const Environment& env, const fs::path& home) {
  auto program = FindXdgUserDir(env);
  if (!program) return std::nullopt;
  std::map<std::string, std::string> overrides{{"HOME", home.string()},
                                               {"XDG_CONFIG_HOME", env.Get("XDG_CONFIG_HOME").value_or("")},
                                               {"XDG_DOWNLOAD_DIR", env.Get("XDG_DOWNLOAD_DIR").value_or("")}};
  auto child = Subprocess::Spawn({program->string(), "DOWNLOAD"}, overrides, /*quiet_stderr=*/true);
  if (!child.ok()) return std::nullopt;
  (*child)->CloseStdin();
  std::string answer;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (answer.size() < 4096) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto byte = (*child)->ReadExactly(1, left);
    if (!byte.ok()) break;
    answer += *byte;
  }
  auto status = (*child)->Wait(std::chrono::milliseconds(500));
  if (!status.ok() || *status != 0) return std::nullopt;
  while (!answer.empty() && (answer.back() == '\n' || answer.back() == '\r')) answer.pop_back();
  if (answer.empty() || answer[0] != '/' || answer.find('\n') != std::string::npos) return std::nullopt;
  fs::path dir = fs::path(answer).lexically_normal();
  if (dir == home.lexically_normal() || dir == (home / "").lexically_normal()) return std::nullopt;
  return dir;
}

}  // namespace

Result<fs::path> DownloadsDir(const Environment& env) {
  auto home = HomeDir(env);
  if (!home.ok()) return home.status();
  fs::path dir = AskXdgUserDir(env, *home).value_or(*home / "Downloads");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return Status(Code::kIo, "cannot use the Downloads folder " + dir.string() + (ec ? ": " + ec.message() : ""));
  }
  return dir;
}

std::string FolderSlug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '.' || lower == '_' ||
                lower == '@' || lower == '-';
    char next = keep ? lower : '-';
    if (next == '-' && !out.empty() && out.back() == '-') continue;
    out += next;
    if (out.size() >= 40) break;
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  while (!out.empty() && (out.front() == '-' || out.front() == '.')) out.erase(0, 1);
  return out.empty() ? "account" : out;
}

Result<fs::path> CreateDatedFolder(const fs::path& parent, const std::string& platform, const std::string& account,
                                   const Clock& clock) {
  EpochMs now = clock.NowMs();
  std::string local = protocol::FormatWithOffset(now, clock.UtcOffsetSeconds(now));  // 2026-07-14T09:30:00+02:00
  std::string stamp = local.substr(0, 13) + local.substr(14, 2);                     // 2026-07-14T0930
  std::string base = "temoin-" + FolderSlug(platform) + "-" + FolderSlug(account) + "-" + stamp;
  for (int n = 1; n <= 100; ++n) {
    fs::path candidate = parent / (n == 1 ? base : base + "-" + std::to_string(n));
    if (::mkdir(candidate.c_str(), 0700) == 0) return candidate;
    if (errno != EEXIST) {
      return Status(Code::kIo, "cannot create " + candidate.string() + ": " + std::strerror(errno));
    }
  }
  return Status(Code::kIo, "too many exports named " + base + " in " + parent.string());
}

}  // namespace temoin::exporter
