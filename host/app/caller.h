// Who launched the host, and whether to serve them. Browsers say who the caller is in argv:
//   Chrome family: argv[1] = "chrome-extension://<id>/" (on Windows also --parent-window=<n>);
//   Firefox:       argv[1] = the host manifest's path, argv[2] = the add-on id.
// With no argument (a terminal, a test) the host serves the local user. The allow-list is Témoin's own ids
// (protocol/extension_identity.h) plus `extra_extension_ids` from <data dir>/host.json (a store listing's id).
#ifndef TEMOIN_APP_CALLER_H_
#define TEMOIN_APP_CALLER_H_

#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"

namespace temoin::app {

struct Caller {
  enum class Kind { kLocalUser, kChromium, kFirefox, kUnknown };
  Kind kind = Kind::kLocalUser;
  std::string id;           // the extension id ("" for the local user)
  std::string description;  // for the log: "chrome-extension://…/", "firefox add-on temoin@temoin.org"
};

// Reads the caller from the arguments after argv[0]. Arguments starting with "--" other than the Windows
// --parent-window are not caller arguments and are left to the host's own option parsing.
Caller IdentifyCaller(const std::vector<std::string>& args);

// Témoin's ids plus those configured in <data_dir>/host.json. A malformed host.json is reported, and the
// built-in ids still apply.
struct AllowList {
  std::vector<std::string> ids;
  Status config_status;
};
AllowList LoadAllowList(const std::filesystem::path& data_dir);

bool IsAllowed(const Caller& caller, const AllowList& allow_list);

// Whether to serve the caller, reading host.json only when its answer matters: the local user is served, unknown
// launch arguments are not, and Témoin's own extension ids are served without a file read (they are built in),
// so a browser starting Témoin's extension's host opens nothing before its first reply. Any other extension id is
// looked up in LoadAllowList(data_dir); config_status then reports a malformed host.json.
struct CallerCheck {
  bool allowed = false;
  Status config_status;
};
CallerCheck CheckCaller(const Caller& caller, const std::filesystem::path& data_dir);

}  // namespace temoin::app

#endif  // TEMOIN_APP_CALLER_H_
