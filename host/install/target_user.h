// Whose install it is. `temoin install` run as a user installs for that user. Run under sudo, a per-user
// install is for the user who typed sudo (SUDO_USER): their home folder, their data folder, and every file and
// folder created is handed to them (chown), so no ~/.mozilla is left owned by root and nothing goes to /root.
#ifndef TEMOIN_INSTALL_TARGET_USER_H_
#define TEMOIN_INSTALL_TARGET_USER_H_

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "base/status.h"
#include "platform/environment.h"

namespace temoin::install {

struct UserRecord {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::filesystem::path home;
};

// The seam to the password database.
class UserDatabase {
 public:
  virtual ~UserDatabase() = default;
  virtual std::optional<UserRecord> Find(const std::string& name) const = 0;
};

// getpwnam_r.
class SystemUserDatabase final : public UserDatabase {
 public:
  std::optional<UserRecord> Find(const std::string& name) const override;
};

// A fixed table, for tests.
class FakeUserDatabase final : public UserDatabase {
 public:
  void Add(UserRecord r) { users_[r.name] = std::move(r); }
  std::optional<UserRecord> Find(const std::string& name) const override;

 private:
  std::map<std::string, UserRecord> users_;
};

struct TargetUser {
  std::string name;              // empty when not known (no sudo)
  std::filesystem::path home;
  uid_t uid = 0;
  gid_t gid = 0;
  bool via_sudo = false;         // files we create must be chowned to uid:gid
};

// The user an install is for. `euid`/`egid` are the process's (geteuid() in production).
Result<TargetUser> ResolveTargetUser(const Environment& env, const UserDatabase& users, uid_t euid, gid_t egid);

// The environment as the target user would have it: under sudo, HOME is theirs and root's XDG_* folders are
// dropped; otherwise `base` unchanged. Used to find the target user's data folder with temoin::DataDir.
class TargetEnvironment final : public Environment {
 public:
  TargetEnvironment(const Environment& base, const TargetUser& user) : base_(base), user_(user) {}
  std::optional<std::string> Get(const std::string& name) const override;

 private:
  const Environment& base_;
  const TargetUser& user_;
};

// The target user's data folder (temoin::DataDir seen with their environment): where host.json goes.
Result<std::filesystem::path> TargetDataDir(const Environment& env, const TargetUser& user);

}  // namespace temoin::install

#endif  // TEMOIN_INSTALL_TARGET_USER_H_
