#include "platform/paths.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace temoin {

namespace fs = std::filesystem;

Result<fs::path> HomeDir(const Environment& env) {
  if (auto home = env.Get("HOME")) return fs::path(*home);
  if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr) return fs::path(pw->pw_dir);
  return Status(Code::kIo, "cannot tell the user's home folder: HOME is not set");
}

namespace {
Result<fs::path> XdgDataHome(const Environment& env) {
  if (auto xdg = env.Get("XDG_DATA_HOME"); xdg && fs::path(*xdg).is_absolute()) return fs::path(*xdg);
  auto home = HomeDir(env);
  if (!home.ok()) return home.status();
  return *home / ".local" / "share";
}
}  // namespace

Result<fs::path> DataDir(const Environment& env) {
  if (auto dir = env.Get("TEMOIN_DATA_DIR")) return fs::absolute(fs::path(*dir));
  auto base = XdgDataHome(env);
  if (!base.ok()) return base.status();
  return *base / "temoin";
}

Result<fs::path> DemoDataDir(const Environment& env) {
  if (auto dir = env.Get("TEMOIN_DEMO_DIR")) return fs::absolute(fs::path(*dir));
  auto base = XdgDataHome(env);
  if (!base.ok()) return base.status();
  return *base / "temoin-demo";
}

Status EnsurePrivateDataDir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return Status(Code::kIo, "cannot create the data folder " + dir.string() + ": " + ec.message());
  }
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) {
    return Status(Code::kIo, "cannot read the data folder " + dir.string() + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return Status(Code::kIo, dir.string() + " is not a folder");
  if (st.st_uid != ::geteuid()) {
    return Status(Code::kIo, "the data folder " + dir.string() + " belongs to another user (uid " +
                                 std::to_string(st.st_uid) + "); refusing to use it");
  }
  if ((st.st_mode & 0777) != 0700 && ::chmod(dir.c_str(), 0700) != 0) {
    return Status(Code::kIo, "cannot make the data folder private (0700): " + std::string(std::strerror(errno)));
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    struct stat fst{};
    if (::lstat(entry.path().c_str(), &fst) != 0 || !S_ISREG(fst.st_mode)) continue;
    if ((fst.st_mode & 077) != 0 && ::chmod(entry.path().c_str(), 0600) != 0) {
      return Status(Code::kIo, "cannot make " + entry.path().string() + " private (0600)");
    }
  }
  return Status::Ok();
}

}  // namespace temoin
