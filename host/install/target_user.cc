#include "install/target_user.h"

#include <pwd.h>
#include <unistd.h>

#include <vector>

#include "platform/paths.h"

namespace temoin::install {

std::optional<UserRecord> SystemUserDatabase::Find(const std::string& name) const {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(size > 0 ? static_cast<size_t>(size) : 16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || found == nullptr) return std::nullopt;
  return UserRecord{found->pw_name, found->pw_uid, found->pw_gid, found->pw_dir ? found->pw_dir : ""};
}

std::optional<UserRecord> FakeUserDatabase::Find(const std::string& name) const {
  auto it = users_.find(name);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

Result<TargetUser> ResolveTargetUser(const Environment& env, const UserDatabase& users, uid_t euid, gid_t egid) {
  TargetUser t;
  auto sudo_user = env.Get("SUDO_USER");
  if (euid == 0 && sudo_user && *sudo_user != "root") {
    auto rec = users.Find(*sudo_user);
    if (!rec) {
      return Status(Code::kInvalidArgument, "run under sudo by '" + *sudo_user +
                                                "', who is not in the user database; run temoin install as yourself");
    }
    if (rec->home.empty() || !rec->home.is_absolute()) {
      return Status(Code::kInvalidArgument, "the home folder of '" + *sudo_user + "' is unknown");
    }
    t.name = rec->name;
    t.home = rec->home;
    t.uid = rec->uid;
    t.gid = rec->gid;
    t.via_sudo = true;
    return t;
  }
  auto home = HomeDir(env);
  if (!home.ok()) return home.status();
  t.home = *home;
  t.uid = euid;
  t.gid = egid;
  if (auto user = env.Get("USER")) t.name = *user;
  return t;
}

std::optional<std::string> TargetEnvironment::Get(const std::string& name) const {
  if (!user_.via_sudo) return base_.Get(name);
  if (name == "HOME") return user_.home.string();
  if (name == "USER" || name == "LOGNAME") return user_.name;
  if (name.rfind("XDG_", 0) == 0) return std::nullopt;
  return base_.Get(name);
}

Result<std::filesystem::path> TargetDataDir(const Environment& env, const TargetUser& user) {
  TargetEnvironment target_env(env, user);
  return DataDir(target_env);
}

}  // namespace temoin::install
