// The browsers Témoin registers its native messaging host with, and where each one looks for host manifests
// on Linux, macOS and Windows. One table: `temoin install`, `temoin uninstall` and `temoin doctor` all read it,
// and docs/install.md repeats it for people. Paths are facts gathered from the browsers' sources
// (../shared/reference/native-messaging.md); the few that are uncertain are marked so here and in the docs.
//
// Nothing here touches the file system: detection and planning live in installer.h.
#ifndef TEMOIN_INSTALL_BROWSERS_H_
#define TEMOIN_INSTALL_BROWSERS_H_

#include <string>
#include <vector>

namespace temoin::install {

// Which manifest dialect a browser reads: `allowed_origins` (Chromium and its forks) or `allowed_extensions`
// (Firefox and its forks). It also decides how the browser launches the host (docs/protocol.md, "The caller").
enum class Family { kChromium, kFirefox };

enum class Os { kLinux, kMacOs, kWindows };

// The operating system this binary was built for.
Os CurrentOs();
const char* OsName(Os os);

// Whether a browser packaged as a snap can start a native host.
enum class SnapSupport {
  kNotPackaged,  // no snap of this browser that we know of
  kPortal,       // works through the WebExtensions portal, reading the normal manifests (Firefox on Ubuntu)
  kNone,         // the confinement forbids it (Chromium's snap)
};

struct Browser {
  std::string key;      // what --browser takes: "chrome", "chromium", "firefox"...
  std::string display;  // "Google Chrome"
  Family family;

  // Linux. Paths relative to the home folder unless absolute.
  std::vector<std::string> linux_detect;       // folders whose presence shows the browser is used
  std::string linux_user_dir;                  // where the per-user manifest goes
  std::vector<std::string> linux_system_dirs;  // system-wide manifest folders (all are written)
  std::vector<std::string> linux_binaries;     // absolute paths whose presence shows it is installed

  // macOS. Paths relative to the home folder unless absolute.
  std::vector<std::string> mac_detect;
  std::string mac_user_dir;
  std::vector<std::string> mac_system_dirs;

  // Windows: registry keys under HKEY_CURRENT_USER (per user) or HKEY_LOCAL_MACHINE (--system), each with a
  // subkey named after the host whose default value is the manifest's absolute path.
  std::vector<std::string> windows_keys;

  // Sandboxed packages on Linux.
  SnapSupport snap = SnapSupport::kNotPackaged;
  std::string snap_name;       // /snap/bin/<snap_name>, ~/snap/<snap_name>
  std::string flatpak_id;      // ~/.var/app/<flatpak_id>
  std::string flatpak_subdir;  // the manifest folder inside ~/.var/app/<flatpak_id>/

  // True when the system location is not confirmed by the browser's sources (documented as such).
  bool system_dirs_uncertain = false;
};

// Every browser Témoin knows, in the order reports list them.
const std::vector<Browser>& Browsers();

// The browser with this key, or nullptr.
const Browser* FindBrowser(const std::string& key);

// "chrome, chrome-beta, ..." for error messages and --help.
std::string BrowserKeys();

}  // namespace temoin::install

#endif  // TEMOIN_INSTALL_BROWSERS_H_
