// `temoin doctor`: checks an install the way a browser will use it, and says in plain words what to do about
// each failure. For every browser found (or named, or the --profile given), in order:
//   manifest_present  the browser finds a manifest (per-user folder, then the system ones)
//   manifest_json     it is valid JSON with "type": "stdio"
//   manifest_name     its name is org.temoin.host (and it is Témoin's, not another program's under our name)
//   host_path         its path is absolute, exists, and is an executable file
//   allowed_ids       allowed_origins (Chromium) / allowed_extensions (Firefox) contain Témoin's id
//   host_answers      the host, launched as the browser launches it, answers a ping within the timeout
//   schema_current    the host writes the database schema this `temoin` expects
//   flatpak_permission / snap   sandboxed browsers: what the sandbox needs
// then once: data_folder (exists, the user's, 0700 with files 0600), and the checks the CLI adds (the log
// chain, the last event's age), which need the store and so live above this layer.
// A check stops its browser's later checks only when they cannot run (no manifest, no host path).
#ifndef TEMOIN_INSTALL_DOCTOR_H_
#define TEMOIN_INSTALL_DOCTOR_H_

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "install/installer.h"
#include "install/target_user.h"

namespace temoin::install {

struct Check {
  enum class Result { kOk, kWarn, kFail };
  std::string subject;  // "Chromium", "the data folder", "the log"
  std::string id;       // "host_answers"
  Result result = Result::kOk;
  std::string summary;  // what was found
  std::string fix;      // what to do (failures and warnings)
};

const char* ResultName(Check::Result r);

struct DoctorReport {
  std::vector<Check> checks;
  bool Healthy() const;  // no failure (warnings allowed)
  nlohmann::json ToJson() const;
  std::string ToText() const;
};

struct DoctorOptions {
  // Which browsers and where: scope, browsers (empty: the ones found), profile_dir, os, root.
  Request request;
  TargetUser user;
  std::filesystem::path data_dir;
  int expected_schema = 0;  // store::LatestSchemaVersion() of this build
  std::chrono::milliseconds ping_timeout{1000};
  std::vector<std::string> child_env;  // the host's environment (see EnvironmentWith)
  // Checks that need the store (the log chain, the last event's age), supplied by the CLI.
  std::vector<std::function<std::vector<Check>()>> extra_checks;
};

DoctorReport RunDoctor(const DoctorOptions& options);

// The keys of the browsers found for this user: their folders in the home folder, a Flatpak or snap of them,
// or their binaries on the system.
std::vector<std::string> FoundBrowsers(const Request& req, const TargetUser& user);

}  // namespace temoin::install

#endif  // TEMOIN_INSTALL_DOCTOR_H_
