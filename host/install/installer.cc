#include "install/installer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "protocol/extension_identity.h"

#ifdef _WIN32
#include <windows.h>
#endif

namespace temoin::install {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUnitMarker = "# Written by `temoin install`; `temoin uninstall` removes it.";
constexpr const char* kWrapperMarker = "# Témoin: runs temoin-host outside the Flatpak sandbox.";

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

std::string ManifestFileName() { return std::string(protocol::kNativeHostName) + ".json"; }

fs::path HomePath(const TargetUser& user, const std::string& rel) {
  fs::path p(rel);
  return p.is_absolute() ? p : user.home / p;
}

void AddLocation(std::vector<Location>* out, const Browser& b, Location loc) {
  for (Location& existing : *out) {
    bool same = loc.registry_key.empty() ? existing.manifest == loc.manifest
                                         : existing.registry_key == loc.registry_key;
    if (same) {
      if (std::find(existing.keys.begin(), existing.keys.end(), b.key) == existing.keys.end()) {
        existing.browsers.push_back(b.display);
        existing.keys.push_back(b.key);
      }
      return;
    }
  }
  loc.browsers = {b.display};
  loc.keys = {b.key};
  loc.family = b.family;
  out->push_back(std::move(loc));
}

std::string Join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Whose file is it: ours to replace or remove, or another program's to leave alone.
bool ManifestIsOurs(const std::string& text) {
  Ownership o = JudgeManifest(text);
  // A damaged file that still names Témoin's host is ours to repair.
  return o == Ownership::kOurs || (o == Ownership::kUnreadable && Lower(text).find("temoin-host") != std::string::npos);
}
bool UnitIsOurs(const std::string& text) { return text.find(kUnitMarker) != std::string::npos; }
bool WrapperIsOurs(const std::string& text) { return text.find(kWrapperMarker) != std::string::npos; }

}  // namespace

fs::path UnderRoot(const fs::path& root, const fs::path& abs) {
  if (root.empty() || root == "/") return abs;
  return root / abs.relative_path();
}

std::string FlatpakWrapper(const fs::path& host_path) {
  std::string quoted = "'";
  for (char c : host_path.string()) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  return "#!/bin/sh\n" + std::string(kWrapperMarker) +
         "\n# It needs the permission: flatpak override --user --talk-name=org.freedesktop.Flatpak <app id>\n"
         "exec flatpak-spawn --host " + quoted + " \"$@\"\n";
}

fs::path HostFromFlatpakWrapper(const std::string& script) {
  if (script.find(kWrapperMarker) == std::string::npos) return {};
  const std::string prefix = "exec flatpak-spawn --host '";
  auto at = script.find(prefix);
  if (at == std::string::npos) return {};
  std::string out;
  for (size_t i = at + prefix.size(); i < script.size(); ++i) {
    if (script.compare(i, 4, "'\\''") == 0) {
      out += '\'';
      i += 3;
    } else if (script[i] == '\'') {
      return out;
    } else {
      out += script[i];
    }
  }
  return {};
}

std::string SystemdQuote(const std::string& arg) {
  auto plain = [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '/' || c == '.' || c == '_' || c == '-' || c == '+' || c == ',' ||
           c == '=' || c == '@' || c == ':';
  };
  bool quote = arg.empty() || !std::all_of(arg.begin(), arg.end(), plain);
  std::string out = quote ? "\"" : "";
  for (unsigned char c : arg) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else if (c == '%') {
      out += "%%";  // a specifier otherwise (%h: the home folder)
    } else if (c == '$') {
      out += "$$";  // an environment variable otherwise
    } else {
      out += static_cast<char>(c);
    }
  }
  return quote ? out + "\"" : out;
}

std::vector<std::string> SystemdSplit(const std::string& line) {
  std::vector<std::string> args;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  // Appends the escape at line[i] ('\\' and what follows) to `out`; returns the index after it.
  auto unescape = [&](size_t i, std::string* out) -> size_t {
    char c = line[i + 1];
    switch (c) {
      case 'n': *out += '\n'; return i + 2;
      case 't': *out += '\t'; return i + 2;
      case 'r': *out += '\r'; return i + 2;
      case 's': *out += ' '; return i + 2;
      case 'x':
        if (i + 3 < line.size() && hex(line[i + 2]) >= 0 && hex(line[i + 3]) >= 0) {
          *out += static_cast<char>(hex(line[i + 2]) * 16 + hex(line[i + 3]));
          return i + 4;
        }
        *out += c;
        return i + 2;
      default: *out += c; return i + 2;
    }
  };
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && space(line[i])) ++i;
    if (i >= line.size()) break;
    std::string raw;
    while (i < line.size() && !space(line[i])) {
      char c = line[i];
      if (c == '"' || c == '\'') {
        for (++i; i < line.size() && line[i] != c;) {
          if (line[i] == '\\' && i + 1 < line.size()) {
            i = unescape(i, &raw);
          } else {
            raw += line[i++];
          }
        }
        ++i;  // the closing quote
      } else if (c == '\\' && i + 1 < line.size()) {
        i = unescape(i, &raw);
      } else {
        raw += c;
        ++i;
      }
    }
    std::string arg;
    for (size_t k = 0; k < raw.size(); ++k) {
      arg += raw[k];
      if ((raw[k] == '%' || raw[k] == '$') && k + 1 < raw.size() && raw[k + 1] == raw[k]) ++k;
    }
    args.push_back(arg);
  }
  return args;
}

std::string CheckServiceUnit(const fs::path& cli_path, const std::optional<DailyBackup>& backup) {
  std::string exec = SystemdQuote(cli_path.string()) + " check";
  if (backup) {
    exec += " --backup-dir " + SystemdQuote(backup->dir.string());
    if (backup->keep > 0) exec += " --keep " + std::to_string(backup->keep);
  }
  return std::string(kUnitMarker) +
         "\n[Unit]\n"
         "Description=Témoin: check the record of your micro-task work and raise alerts\n"
         "Documentation=file:///usr/share/doc/temoin/install.md\n\n"
         "[Service]\n"
         "Type=oneshot\n"
         "# A daily backup too: `temoin install --daily-backup DIR` adds --backup-dir DIR (docs/security.md).\n"
         "ExecStart=" + exec + "\n";
}

std::optional<DailyBackup> DailyBackupFromServiceUnit(const std::string& unit) {
  std::istringstream lines(unit);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("ExecStart=", 0) != 0) continue;
    std::vector<std::string> args = SystemdSplit(line.substr(10));
    if (args.size() < 2 || args[1] != "check") return std::nullopt;
    std::optional<DailyBackup> out;
    int keep = 0;
    for (size_t i = 2; i < args.size(); ++i) {
      std::string value;
      bool has_value = i + 1 < args.size();
      if (args[i] == "--backup-dir" && has_value) {
        out = DailyBackup{.dir = args[++i]};
      } else if (args[i].rfind("--backup-dir=", 0) == 0) {
        out = DailyBackup{.dir = args[i].substr(13)};
      } else if ((args[i] == "--keep" && has_value) || args[i].rfind("--keep=", 0) == 0) {
        value = args[i] == "--keep" ? args[++i] : args[i].substr(7);
        bool digits = !value.empty() && value.size() <= 6 &&
                      std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
        keep = digits ? std::stoi(value) : 0;
      }
    }
    if (out) {
      if (out->dir.empty() || !out->dir.is_absolute()) return std::nullopt;
      out->keep = keep;
    }
    return out;
  }
  return std::nullopt;
}

std::string CheckTimerUnit() {
  return std::string(kUnitMarker) +
         "\n[Unit]\n"
         "Description=Témoin: run temoin check every hour\n\n"
         "[Timer]\n"
         "OnCalendar=hourly\n"
         "RandomizedDelaySec=5min\n"
         "Persistent=true\n\n"
         "[Install]\n"
         "WantedBy=timers.target\n";
}

fs::path SystemdUserDir(const Environment& target_env, const TargetUser& user) {
  if (auto xdg = target_env.Get("XDG_CONFIG_HOME"); xdg && fs::path(*xdg).is_absolute()) {
    return fs::path(*xdg) / "systemd" / "user";
  }
  return user.home / ".config" / "systemd" / "user";
}

Result<std::vector<Location>> FindLocations(const Request& req, const TargetUser& user, bool for_uninstall,
                                            std::vector<std::string>* notices) {
  std::vector<Location> out;
  const std::string file = ManifestFileName();

  if (req.profile_dir) {
    for (const auto& k : req.browsers) {
      const Browser* b = FindBrowser(k);
      if (b != nullptr && b->family != Family::kChromium) {
        return Status(Code::kInvalidArgument, "--profile is a Chromium-family --user-data-dir; " + b->display +
                                                  " does not use one", "profile");
      }
    }
    Location loc;
    loc.browsers = {"the Chromium-family profile " + req.profile_dir->string()};
    loc.keys = {"profile"};
    loc.family = Family::kChromium;
    loc.manifest = fs::absolute(*req.profile_dir) / "NativeMessagingHosts" / file;
    loc.stop_dir = fs::absolute(*req.profile_dir);
    out.push_back(loc);
    return out;
  }

  bool all = std::find(req.browsers.begin(), req.browsers.end(), "all") != req.browsers.end();
  std::set<std::string> named;
  for (const auto& k : req.browsers) {
    if (k == "all") continue;
    if (FindBrowser(k) == nullptr) {
      return Status(Code::kInvalidArgument, "unknown browser '" + k + "'; known: " + BrowserKeys() + ", all",
                    "browser");
    }
    named.insert(k);
  }
  // Uninstall looks everywhere a manifest may be, unless browsers are named.
  const bool select_all = all || (for_uninstall && named.empty());

  for (const Browser& b : Browsers()) {
    const bool explicitly = select_all || named.count(b.key) > 0;
    if (!named.empty() && !named.count(b.key) && !all) continue;

    switch (req.os) {
      case Os::kLinux: {
        if (b.linux_user_dir.empty() && b.linux_system_dirs.empty()) {
          if (named.count(b.key) && notices) notices->push_back(b.display + " does not exist for Linux: skipped.");
          continue;
        }
        if (req.scope == Scope::kUser) {
          bool native = std::any_of(b.linux_detect.begin(), b.linux_detect.end(),
                                    [&](const std::string& d) { return Exists(HomePath(user, d)); });
          bool snap = !b.snap_name.empty() &&
                      (Exists(UnderRoot(req.root, "/snap/bin") / b.snap_name) || Exists(user.home / "snap" / b.snap_name));
          bool flatpak = !b.flatpak_id.empty() && Exists(user.home / ".var" / "app" / b.flatpak_id);
          if (!b.linux_user_dir.empty() && (explicitly || native || (snap && b.snap == SnapSupport::kPortal))) {
            Location loc;
            loc.manifest = HomePath(user, b.linux_user_dir) / file;
            loc.stop_dir = user.home;
            AddLocation(&out, b, loc);
          }
          if (flatpak || (for_uninstall && !b.flatpak_id.empty())) {
            fs::path app = user.home / ".var" / "app" / b.flatpak_id;
            Location loc;
            loc.manifest = app / b.flatpak_subdir / file;
            loc.flatpak_id = b.flatpak_id;
            loc.wrapper = app / "data" / "temoin" / "temoin-host-flatpak";
            loc.stop_dir = app;
            AddLocation(&out, b, loc);
            if (flatpak && notices && !for_uninstall) {
              notices->push_back(b.display + " (Flatpak " + b.flatpak_id +
                                 ") can reach temoin-host only through flatpak-spawn. Allow it once with:\n"
                                 "    flatpak override --user --talk-name=org.freedesktop.Flatpak " + b.flatpak_id);
            }
          }
          if (snap && notices && !for_uninstall) {
            if (b.snap == SnapSupport::kPortal) {
              notices->push_back(b.display + " is a snap: it starts temoin-host through the WebExtensions portal, "
                                 "which asks you once. If you refused, allow it with:\n"
                                 "    flatpak permission-set webextensions " + std::string(protocol::kNativeHostName) +
                                 " snap." + b.snap_name + " yes");
            } else if (b.snap == SnapSupport::kNone) {
              notices->push_back(b.display + " is a snap: its confinement forbids starting native programs, so "
                                 "Témoin cannot work in it. Use " + b.display +
                                 " from your distribution's packages or from Flathub instead.");
            }
          }
        } else {
          bool installed =
              std::any_of(b.linux_binaries.begin(), b.linux_binaries.end(),
                          [&](const std::string& p) { return Exists(UnderRoot(req.root, p)); }) ||
              std::any_of(b.linux_system_dirs.begin(), b.linux_system_dirs.end(),
                          [&](const std::string& p) { return Exists(UnderRoot(req.root, fs::path(p).parent_path())); });
          if (!explicitly && !installed) continue;
          for (const auto& d : b.linux_system_dirs) {
            Location loc;
            loc.manifest = UnderRoot(req.root, d) / file;
            loc.stop_dir = loc.manifest.parent_path().parent_path();
            AddLocation(&out, b, loc);
          }
        }
        break;
      }
      case Os::kMacOs: {
        if (req.scope == Scope::kUser) {
          bool found = std::any_of(b.mac_detect.begin(), b.mac_detect.end(),
                                   [&](const std::string& d) { return Exists(HomePath(user, d)); });
          if (b.mac_user_dir.empty() || (!explicitly && !found)) continue;
          Location loc;
          loc.manifest = HomePath(user, b.mac_user_dir) / file;
          loc.stop_dir = user.home;
          AddLocation(&out, b, loc);
        } else {
          for (const auto& d : b.mac_system_dirs) {
            fs::path dir = UnderRoot(req.root, d);
            if (!explicitly && !Exists(dir.parent_path())) continue;
            Location loc;
            loc.manifest = dir / file;
            loc.stop_dir = dir.parent_path();
            AddLocation(&out, b, loc);
          }
        }
        break;
      }
      case Os::kWindows: {
        // Registry keys cost nothing for a browser that is absent, and detection would need the registry:
        // every browser's key is written.
        std::string hive = req.scope == Scope::kUser ? "HKEY_CURRENT_USER\\" : "HKEY_LOCAL_MACHINE\\";
        for (const auto& key : b.windows_keys) {
          Location loc;
          loc.registry_key = hive + key + "\\" + std::string(protocol::kNativeHostName);
          fs::path dir = req.data_dir.empty() ? fs::path("C:/ProgramData/Temoin") : req.data_dir;
          loc.manifest = dir / (std::string(protocol::kNativeHostName) +
                                (b.family == Family::kChromium ? ".chromium.json" : ".firefox.json"));
          loc.stop_dir = dir;
          AddLocation(&out, b, loc);
        }
        break;
      }
    }
  }
  return out;
}

Result<Plan> PlanInstall(const Request& req, const TargetUser& user, const Environment& target_env) {
  if (!req.host_path.is_absolute()) {
    return Status(Code::kInvalidArgument, "the host path must be absolute: " + req.host_path.string(), "host");
  }
  Plan plan;
  auto locations = FindLocations(req, user, /*for_uninstall=*/false, &plan.notices);
  if (!locations.ok()) return locations.status();
  if (locations->empty()) {
    return Status(Code::kNotFound,
                  std::string("no browser found ") +
                      (req.scope == Scope::kUser ? "in " + user.home.string() : std::string("on this system")) +
                      ". Name one with --browser (" + BrowserKeys() + ", all), or use --profile DIR for a "
                      "Chromium --user-data-dir.");
  }
  plan.locations = *locations;

  auto plan_file = [&](const fs::path& path, const std::string& content, unsigned mode, const std::string& what,
                       auto&& is_ours) {
    auto existing = ReadSmallFile(path);
    if (existing.ok()) {
      if (*existing == content) {
        plan.unchanged.push_back(path.string() + " (" + what + ")");
        return;
      }
      if (!is_ours(*existing)) {
        plan.refusals.push_back(path.string() + " belongs to another program (" + ExplainOwnership(*existing) +
                                "): left as it is. Remove or rename it yourself if it is not needed, then run "
                                "temoin install again.");
        return;
      }
    }
    plan.actions.push_back(Action{.kind = Action::Kind::kWriteFile, .path = path, .content = content, .mode = mode,
                                  .what = what});
  };

  for (const Location& loc : plan.locations) {
    const std::string what = "host manifest for " + Join(loc.browsers);
    fs::path target = loc.flatpak_id.empty() ? req.host_path : loc.wrapper;
    plan_file(loc.manifest, ManifestText(MakeManifest(loc.family, target, req.extra)), 0644, what, ManifestIsOurs);
    if (!loc.flatpak_id.empty()) {
      plan_file(loc.wrapper, FlatpakWrapper(req.host_path), 0755, "Flatpak wrapper for " + Join(loc.browsers),
                WrapperIsOurs);
    }
    if (!loc.registry_key.empty()) {
      plan.actions.push_back(Action{.kind = Action::Kind::kSetRegistry, .path = loc.manifest,
                                    .registry_key = loc.registry_key, .what = "registry key for " + Join(loc.browsers)});
    }
  }

  const bool units = req.os == Os::kLinux && req.scope == Scope::kUser && req.timer && !req.profile_dir &&
                     !req.cli_path.empty();
  if (req.daily_backup_change == DailyBackupChange::kSet) {
    if (!units) {
      return Status(Code::kInvalidArgument,
                    "--daily-backup is taken by the hourly `temoin check` of the systemd user timer, which only a "
                    "per-user install on Linux writes (not with --system, --profile or --no-timer); elsewhere "
                    "run `temoin check --backup-dir DIR` from your own scheduler",
                    "daily-backup");
    }
    if (!req.daily_backup.dir.is_absolute()) {
      return Status(Code::kInvalidArgument, "the daily backup folder must be an absolute path", "daily-backup");
    }
    if (req.daily_backup.keep < 0) {
      return Status(Code::kInvalidArgument, "the number of daily backups to keep must be at least 1", "daily-backup");
    }
  }
  if (units) {
    fs::path dir = SystemdUserDir(target_env, user);
    fs::path service = dir / "temoin-check.service";
    std::optional<DailyBackup> backup;
    if (req.daily_backup_change == DailyBackupChange::kSet) {
      backup = req.daily_backup;
    } else if (req.daily_backup_change == DailyBackupChange::kKeep) {
      // A plain install run again keeps the daily backup an earlier one set up.
      if (auto existing = ReadSmallFile(service); existing.ok() && UnitIsOurs(*existing)) {
        backup = DailyBackupFromServiceUnit(*existing);
      }
    }
    plan_file(service, CheckServiceUnit(req.cli_path, backup), 0644,
              backup ? "systemd user service, with the daily backup" : "systemd user service", UnitIsOurs);
    plan_file(dir / "temoin-check.timer", CheckTimerUnit(), 0644, "systemd user timer, hourly", UnitIsOurs);
    plan.notices.push_back("To run `temoin check` every hour, start the timer once:\n"
                           "    systemctl --user daemon-reload && systemctl --user enable --now temoin-check.timer");
    if (backup) {
      plan.notices.push_back(
          "Daily backup: the hourly check copies the database into " + backup->dir.string() + " once a day, keeping the " +
          std::to_string(backup->keep > 0 ? backup->keep : 7) + " newest (temoin-daily-<time>.db). A folder on " +
          "another disk is best; `temoin install --no-daily-backup` turns it off.");
      if (!Exists(backup->dir) && !Exists(backup->dir.parent_path())) {
        plan.notices.push_back(backup->dir.parent_path().string() + " does not exist now: `temoin check` creates " +
                               backup->dir.string() + " only when its parent folder is there (a backup disk must be "
                               "mounted), and fails until then.");
      }
    }
  }

  const bool any_extra = !req.extra.chromium.empty() || !req.extra.firefox.empty();
  if (any_extra) {
    std::vector<std::string> ids = req.extra.chromium;
    ids.insert(ids.end(), req.extra.firefox.begin(), req.extra.firefox.end());
    if (req.scope == Scope::kSystem || req.data_dir.empty()) {
      plan.notices.push_back("The extra extension ids are in the system manifests; each user must also record them "
                             "for their host: temoin install --allow-extension ID");
    } else {
      fs::path config = req.data_dir / kHostConfigFile;
      auto existing = ReadSmallFile(config);
      if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing.status();
      auto merged = MergeHostConfig(existing.ok() ? *existing : std::string(), ids);
      if (!merged.ok()) return Status(Code::kInvalidArgument, config.string() + ": " + merged.status().message());
      if (existing.ok() && *existing == *merged) {
        plan.unchanged.push_back(config.string() + " (extra extension ids)");
      } else {
        plan.actions.push_back(Action{.kind = Action::Kind::kWriteFile, .path = config, .content = *merged,
                                      .mode = 0600, .private_parent = true,
                                      .what = "the host's extra extension ids"});
      }
    }
  }
  return plan;
}

Result<Plan> PlanUninstall(const Request& req, const TargetUser& user, const Environment& target_env) {
  Plan plan;
  auto locations = FindLocations(req, user, /*for_uninstall=*/true, nullptr);
  if (!locations.ok()) return locations.status();
  plan.locations = *locations;

  auto plan_remove = [&](const fs::path& path, const std::string& what, const fs::path& stop, auto&& is_ours) {
    auto existing = ReadSmallFile(path);
    if (!existing.ok()) return false;
    if (!is_ours(*existing)) {
      plan.refusals.push_back(path.string() + " is not Témoin's (" + ExplainOwnership(*existing) +
                              "): left as it is.");
      return false;
    }
    plan.actions.push_back(Action{.kind = Action::Kind::kRemoveFile, .path = path, .what = what});
    plan.actions.push_back(Action{.kind = Action::Kind::kRemoveEmptyDirs, .path = path.parent_path(),
                                  .stop_dir = stop, .what = "emptied folders"});
    return true;
  };

  for (const Location& loc : plan.locations) {
    if (!loc.registry_key.empty()) {
      plan.actions.push_back(Action{.kind = Action::Kind::kDeleteRegistry, .path = loc.manifest,
                                    .registry_key = loc.registry_key, .what = "registry key for " + Join(loc.browsers)});
    }
    plan_remove(loc.manifest, "host manifest for " + Join(loc.browsers), loc.stop_dir, ManifestIsOurs);
    if (!loc.flatpak_id.empty()) {
      plan_remove(loc.wrapper, "Flatpak wrapper for " + Join(loc.browsers), loc.stop_dir,
                  WrapperIsOurs);
    }
  }
  if (req.os == Os::kLinux && req.scope == Scope::kUser && !req.profile_dir && req.browsers.empty()) {
    fs::path dir = SystemdUserDir(target_env, user);
    bool any = plan_remove(dir / "temoin-check.timer", "systemd user timer", user.home, UnitIsOurs);
    any = plan_remove(dir / "temoin-check.service", "systemd user service", user.home, UnitIsOurs) || any;
    if (any) {
      plan.notices.push_back("If the timer was started, stop it too: systemctl --user disable --now temoin-check.timer");
    }
  }
  // Drop duplicate folder clean-ups, keeping the last (after every file in the folder is removed).
  std::vector<Action> actions;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    if (a.kind == Action::Kind::kRemoveEmptyDirs) {
      bool later = std::any_of(plan.actions.begin() + static_cast<long>(i) + 1, plan.actions.end(), [&](const Action& b) {
        return b.kind == Action::Kind::kRemoveEmptyDirs && b.path == a.path;
      });
      if (later) continue;
    }
    actions.push_back(a);
  }
  // Folder clean-ups go last, once every file in them is gone.
  std::stable_partition(actions.begin(), actions.end(),
                        [](const Action& a) { return a.kind != Action::Kind::kRemoveEmptyDirs; });
  plan.actions = std::move(actions);
  if (plan.actions.empty() && plan.refusals.empty()) plan.unchanged.push_back("no Témoin manifest was found");
  return plan;
}

namespace {

// Creates `dir` and its missing parents; returns the folders it created, outermost first.
Status CreateDirs(const fs::path& dir, unsigned mode, std::vector<fs::path>* created) {
  std::vector<fs::path> missing;
  for (fs::path p = dir; !p.empty() && !Exists(p); p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), mode) != 0 && errno != EEXIST) {
      std::string hint = errno == EACCES ? " (permission denied: a system-wide install needs sudo)" : "";
      return Status(Code::kIo, "cannot create " + it->string() + ": " + std::strerror(errno) + hint);
    }
    ::chmod(it->c_str(), mode);  // mkdir's mode is filtered by the umask
    created->push_back(*it);
  }
  return Status::Ok();
}

Status WriteFileAtomically(const fs::path& path, const std::string& content, unsigned mode) {
  fs::path tmp = path;
  tmp += ".temoin-tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    std::string hint = errno == EACCES ? " (permission denied: a system-wide install needs sudo)" : "";
    return Status(Code::kIo, "cannot write " + path.string() + ": " + std::strerror(errno) + hint);
  }
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status(Code::kIo, "cannot write " + path.string() + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  ::fchmod(fd, mode);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status(Code::kIo, "cannot write " + path.string() + ": " + std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status(Code::kIo, "cannot replace " + path.string() + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

#ifdef _WIN32
Status SetRegistry(const std::string& full_key, const fs::path& manifest, bool remove) {
  HKEY hive = full_key.rfind("HKEY_LOCAL_MACHINE\\", 0) == 0 ? HKEY_LOCAL_MACHINE : HKEY_CURRENT_USER;
  std::wstring sub = fs::path(full_key.substr(full_key.find('\\') + 1)).wstring();
  if (remove) {
    LSTATUS rc = RegDeleteKeyW(hive, sub.c_str());
    if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND) {
      return Status(Code::kIo, "cannot delete the registry key " + full_key);
    }
    return Status::Ok();
  }
  HKEY key = nullptr;
  if (RegCreateKeyExW(hive, sub.c_str(), 0, nullptr, 0, KEY_SET_VALUE, nullptr, &key, nullptr) != ERROR_SUCCESS) {
    return Status(Code::kIo, "cannot create the registry key " + full_key);
  }
  std::wstring value = manifest.wstring();
  LSTATUS rc = RegSetValueExW(key, nullptr, 0, REG_SZ, reinterpret_cast<const BYTE*>(value.c_str()),
                              static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t)));
  RegCloseKey(key);
  if (rc != ERROR_SUCCESS) return Status(Code::kIo, "cannot set the registry key " + full_key);
  return Status::Ok();
}
#endif

}  // namespace

Status ApplyPlan(const Plan& plan, const TargetUser& user, Scope scope) {
  const bool hand_over = user.via_sudo && scope == Scope::kUser;
  for (const Action& a : plan.actions) {
    switch (a.kind) {
      case Action::Kind::kWriteFile: {
        std::vector<fs::path> created;
        TEMOIN_RETURN_IF_ERROR(CreateDirs(a.path.parent_path(), a.private_parent ? 0700 : 0755, &created));
        TEMOIN_RETURN_IF_ERROR(WriteFileAtomically(a.path, a.content, a.mode));
        if (hand_over) {
          created.push_back(a.path);
          for (const auto& p : created) {
            if (::lchown(p.c_str(), user.uid, user.gid) != 0) {
              return Status(Code::kIo, "cannot give " + p.string() + " to " + user.name + ": " + std::strerror(errno));
            }
          }
        }
        break;
      }
      case Action::Kind::kRemoveFile: {
        if (::unlink(a.path.c_str()) != 0 && errno != ENOENT) {
          std::string hint = errno == EACCES ? " (permission denied: a system-wide uninstall needs sudo)" : "";
          return Status(Code::kIo, "cannot remove " + a.path.string() + ": " + std::strerror(errno) + hint);
        }
        break;
      }
      case Action::Kind::kRemoveEmptyDirs: {
        for (fs::path p = a.path; !p.empty() && p != a.stop_dir && p != p.parent_path(); p = p.parent_path()) {
          // Only below the stop folder.
          auto rel = p.lexically_relative(a.stop_dir);
          if (rel.empty() || *rel.begin() == "..") break;
          // The shared folders of a home stay, even empty.
          static const char* kKeep[] = {".config", ".local", ".local/share", ".var", ".var/app", "Library",
                                        "Library/Application Support", "snap"};
          if (std::any_of(std::begin(kKeep), std::end(kKeep), [&](const char* k) { return rel == fs::path(k); })) break;
          if (::rmdir(p.c_str()) != 0) break;  // not empty (or not ours to remove): stop here
        }
        break;
      }
      case Action::Kind::kSetRegistry:
      case Action::Kind::kDeleteRegistry: {
#ifdef _WIN32
        TEMOIN_RETURN_IF_ERROR(SetRegistry(a.registry_key, a.path, a.kind == Action::Kind::kDeleteRegistry));
#else
        return Status(Code::kInvalidArgument, "registry keys are written by the Windows build of temoin");
#endif
        break;
      }
    }
  }
  return Status::Ok();
}

std::string DescribePlan(const Plan& plan, bool dry_run) {
  std::ostringstream out;
  for (const Action& a : plan.actions) {
    switch (a.kind) {
      case Action::Kind::kWriteFile:
        out << (dry_run ? "would write " : "wrote ") << a.path.string() << "  (" << a.what << ")\n";
        if (dry_run) {
          std::istringstream lines(a.content);
          for (std::string line; std::getline(lines, line);) out << "    " << line << "\n";
        }
        break;
      case Action::Kind::kRemoveFile:
        out << (dry_run ? "would remove " : "removed ") << a.path.string() << "  (" << a.what << ")\n";
        break;
      case Action::Kind::kRemoveEmptyDirs: break;
      case Action::Kind::kSetRegistry:
        out << (dry_run ? "would set " : "set ") << a.registry_key << " = " << a.path.string() << "  (" << a.what
            << ")\n";
        break;
      case Action::Kind::kDeleteRegistry:
        out << (dry_run ? "would delete " : "deleted ") << a.registry_key << "  (" << a.what << ")\n";
        break;
    }
  }
  for (const auto& u : plan.unchanged) out << "unchanged: " << u << "\n";
  for (const auto& r : plan.refusals) out << "refused: " << r << "\n";
  for (const auto& n : plan.notices) out << "note: " << n << "\n";
  return out.str();
}

}  // namespace temoin::install
