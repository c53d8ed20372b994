#include "install/browsers.h"

namespace temoin::install {

Os CurrentOs() {
#if defined(_WIN32)
  return Os::kWindows;
#elif defined(__APPLE__)
  return Os::kMacOs;
#else
  return Os::kLinux;
#endif
}

const char* OsName(Os os) {
  switch (os) {
    case Os::kLinux: return "Linux";
    case Os::kMacOs: return "macOS";
    case Os::kWindows: return "Windows";
  }
  return "?";
}

namespace {

constexpr const char* kChromeSystem = "/etc/opt/chrome/native-messaging-hosts";
constexpr const char* kChromeMacSystem = "/Library/Google/Chrome/NativeMessagingHosts";
constexpr const char* kChromeKey = "Software\\Google\\Chrome\\NativeMessagingHosts";
constexpr const char* kMacSupport = "Library/Application Support/";

std::string Mac(const std::string& rest) { return kMacSupport + rest; }

std::vector<Browser> MakeBrowsers() {
  std::vector<Browser> b;
  {
    Browser x{.key = "chrome", .display = "Google Chrome", .family = Family::kChromium};
    x.linux_detect = {".config/google-chrome"};
    x.linux_user_dir = ".config/google-chrome/NativeMessagingHosts";
    x.linux_system_dirs = {kChromeSystem};
    x.linux_binaries = {"/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/opt/google/chrome/chrome"};
    x.mac_detect = {Mac("Google/Chrome")};
    x.mac_user_dir = Mac("Google/Chrome/NativeMessagingHosts");
    x.mac_system_dirs = {kChromeMacSystem};
    x.windows_keys = {kChromeKey};
    x.flatpak_id = "com.google.Chrome";
    x.flatpak_subdir = "config/google-chrome/NativeMessagingHosts";
    b.push_back(x);
  }
  {
    Browser x{.key = "chrome-beta", .display = "Google Chrome Beta", .family = Family::kChromium};
    x.linux_detect = {".config/google-chrome-beta"};
    x.linux_user_dir = ".config/google-chrome-beta/NativeMessagingHosts";
    x.linux_system_dirs = {kChromeSystem};
    x.linux_binaries = {"/usr/bin/google-chrome-beta", "/opt/google/chrome-beta/chrome"};
    x.mac_detect = {Mac("Google/Chrome Beta")};
    x.mac_user_dir = Mac("Google/Chrome Beta/NativeMessagingHosts");
    x.mac_system_dirs = {kChromeMacSystem};
    x.windows_keys = {kChromeKey};
    b.push_back(x);
  }
  {
    Browser x{.key = "chrome-dev", .display = "Google Chrome Dev", .family = Family::kChromium};
    x.linux_detect = {".config/google-chrome-unstable"};
    x.linux_user_dir = ".config/google-chrome-unstable/NativeMessagingHosts";
    x.linux_system_dirs = {kChromeSystem};
    x.linux_binaries = {"/usr/bin/google-chrome-unstable", "/opt/google/chrome-unstable/chrome"};
    x.mac_detect = {Mac("Google/Chrome Dev")};
    x.mac_user_dir = Mac("Google/Chrome Dev/NativeMessagingHosts");
    x.mac_system_dirs = {kChromeMacSystem};
    x.windows_keys = {kChromeKey};
    b.push_back(x);
  }
  {
    Browser x{.key = "chromium", .display = "Chromium", .family = Family::kChromium};
    x.linux_detect = {".config/chromium"};
    x.linux_user_dir = ".config/chromium/NativeMessagingHosts";
    x.linux_system_dirs = {"/etc/chromium/native-messaging-hosts"};
    x.linux_binaries = {"/usr/bin/chromium", "/usr/lib/chromium/chromium"};
    x.mac_detect = {Mac("Chromium")};
    x.mac_user_dir = Mac("Chromium/NativeMessagingHosts");
    x.mac_system_dirs = {"/Library/Application Support/Chromium/NativeMessagingHosts"};
    // Chromium's own key is not read by every build: write Chrome's as well.
    x.windows_keys = {"Software\\Chromium\\NativeMessagingHosts", kChromeKey};
    x.snap = SnapSupport::kNone;
    x.snap_name = "chromium";
    x.flatpak_id = "org.chromium.Chromium";
    x.flatpak_subdir = "config/chromium/NativeMessagingHosts";
    b.push_back(x);
  }
  {
    Browser x{.key = "brave", .display = "Brave", .family = Family::kChromium};
    x.linux_detect = {".config/BraveSoftware/Brave-Browser"};
    x.linux_user_dir = ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts";
    x.linux_system_dirs = {kChromeSystem};
    x.linux_binaries = {"/usr/bin/brave-browser", "/opt/brave.com/brave/brave"};
    x.mac_detect = {Mac("BraveSoftware/Brave-Browser")};
    x.mac_user_dir = Mac("BraveSoftware/Brave-Browser/NativeMessagingHosts");
    x.mac_system_dirs = {kChromeMacSystem};
    x.windows_keys = {kChromeKey};
    x.flatpak_id = "com.brave.Browser";
    x.flatpak_subdir = "config/BraveSoftware/Brave-Browser/NativeMessagingHosts";
    x.system_dirs_uncertain = true;
    b.push_back(x);
  }
  {
    Browser x{.key = "vivaldi", .display = "Vivaldi", .family = Family::kChromium};
    x.linux_detect = {".config/vivaldi"};
    x.linux_user_dir = ".config/vivaldi/NativeMessagingHosts";
    // Uncertain which one Vivaldi reads system-wide: write both.
    x.linux_system_dirs = {"/etc/opt/vivaldi/native-messaging-hosts", kChromeSystem};
    x.linux_binaries = {"/usr/bin/vivaldi", "/usr/bin/vivaldi-stable", "/opt/vivaldi/vivaldi"};
    x.mac_detect = {Mac("Vivaldi")};
    x.mac_user_dir = Mac("Vivaldi/NativeMessagingHosts");
    x.mac_system_dirs = {kChromeMacSystem};
    x.windows_keys = {kChromeKey};
    x.flatpak_id = "com.vivaldi.Vivaldi";
    x.flatpak_subdir = "config/vivaldi/NativeMessagingHosts";
    x.system_dirs_uncertain = true;
    b.push_back(x);
  }
  {
    Browser x{.key = "edge", .display = "Microsoft Edge", .family = Family::kChromium};
    x.linux_detect = {".config/microsoft-edge"};
    x.linux_user_dir = ".config/microsoft-edge/NativeMessagingHosts";
    x.linux_system_dirs = {"/etc/opt/edge/native-messaging-hosts"};
    x.linux_binaries = {"/usr/bin/microsoft-edge", "/usr/bin/microsoft-edge-stable", "/opt/microsoft/msedge/msedge"};
    x.mac_detect = {Mac("Microsoft Edge")};
    x.mac_user_dir = Mac("Microsoft Edge/NativeMessagingHosts");
    x.mac_system_dirs = {"/Library/Microsoft/Edge/NativeMessagingHosts"};
    x.windows_keys = {"Software\\Microsoft\\Edge\\NativeMessagingHosts"};
    x.flatpak_id = "com.microsoft.Edge";
    x.flatpak_subdir = "config/microsoft-edge/NativeMessagingHosts";
    x.system_dirs_uncertain = true;  // the macOS system folder
    b.push_back(x);
  }
  {
    // Opera reads Chrome's folders and registry key.
    Browser x{.key = "opera", .display = "Opera", .family = Family::kChromium};
    x.linux_detect = {".config/opera"};
    x.linux_user_dir = ".config/google-chrome/NativeMessagingHosts";
    x.linux_system_dirs = {kChromeSystem};
    x.linux_binaries = {"/usr/bin/opera", "/usr/lib/x86_64-linux-gnu/opera/opera"};
    x.mac_detect = {Mac("com.operasoftware.Opera")};
    x.mac_user_dir = Mac("Google/Chrome/NativeMessagingHosts");
    x.mac_system_dirs = {kChromeMacSystem};
    x.windows_keys = {kChromeKey};
    x.system_dirs_uncertain = true;
    b.push_back(x);
  }
  {
    // Arc exists for macOS and Windows only.
    Browser x{.key = "arc", .display = "Arc", .family = Family::kChromium};
    x.mac_detect = {Mac("Arc")};
    x.mac_user_dir = Mac("Arc/User Data/NativeMessagingHosts");
    x.windows_keys = {kChromeKey};
    b.push_back(x);
  }
  {
    Browser x{.key = "firefox", .display = "Firefox", .family = Family::kFirefox};
    x.linux_detect = {".mozilla"};
    x.linux_user_dir = ".mozilla/native-messaging-hosts";
    x.linux_system_dirs = {"/usr/lib/mozilla/native-messaging-hosts"};
    x.linux_binaries = {"/usr/bin/firefox", "/usr/bin/firefox-esr", "/usr/lib/firefox/firefox",
                        "/usr/lib/firefox-esr/firefox-esr"};
    x.mac_detect = {Mac("Firefox")};
    x.mac_user_dir = Mac("Mozilla/NativeMessagingHosts");
    x.mac_system_dirs = {"/Library/Application Support/Mozilla/NativeMessagingHosts"};
    x.windows_keys = {"Software\\Mozilla\\NativeMessagingHosts"};
    x.snap = SnapSupport::kPortal;
    x.snap_name = "firefox";
    x.flatpak_id = "org.mozilla.firefox";
    x.flatpak_subdir = ".mozilla/native-messaging-hosts";
    b.push_back(x);
  }
  {
    Browser x{.key = "librewolf", .display = "LibreWolf", .family = Family::kFirefox};
    x.linux_detect = {".librewolf"};
    x.linux_user_dir = ".librewolf/native-messaging-hosts";
    x.linux_system_dirs = {"/usr/lib/librewolf/native-messaging-hosts"};
    x.linux_binaries = {"/usr/bin/librewolf", "/usr/share/librewolf/librewolf"};
    x.mac_detect = {Mac("librewolf")};
    x.mac_user_dir = Mac("LibreWolf/NativeMessagingHosts");
    x.windows_keys = {"Software\\LibreWolf\\NativeMessagingHosts"};
    x.flatpak_id = "io.gitlab.librewolf-community";
    x.flatpak_subdir = ".librewolf/native-messaging-hosts";
    x.system_dirs_uncertain = true;  // macOS and Windows
    b.push_back(x);
  }
  {
    // Tor Browser keeps its own HOME inside its bundle; this is where torbrowser-launcher unpacks it.
    // A bundle unpacked elsewhere: see docs/install.md.
    Browser x{.key = "tor", .display = "Tor Browser", .family = Family::kFirefox};
    const std::string data = ".local/share/torbrowser/tbb/x86_64/tor-browser/Browser/TorBrowser/Data/Browser";
    x.linux_detect = {data};
    x.linux_user_dir = data + "/.mozilla/native-messaging-hosts";
    b.push_back(x);
  }
  return b;
}

}  // namespace

const std::vector<Browser>& Browsers() {
  static const std::vector<Browser> kBrowsers = MakeBrowsers();
  return kBrowsers;
}

const Browser* FindBrowser(const std::string& key) {
  for (const Browser& b : Browsers()) {
    if (b.key == key) return &b;
  }
  return nullptr;
}

std::string BrowserKeys() {
  std::string out;
  for (const Browser& b : Browsers()) {
    if (!out.empty()) out += ", ";
    out += b.key;
  }
  return out;
}

}  // namespace temoin::install
