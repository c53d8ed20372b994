#include "install/doctor.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "install/process.h"
#include "protocol/extension_identity.h"

namespace temoin::install {

namespace fs = std::filesystem;
using nlohmann::json;
using R = Check::Result;

const char* ResultName(R r) {
  switch (r) {
    case R::kOk: return "ok";
    case R::kWarn: return "warning";
    case R::kFail: return "fail";
  }
  return "?";
}

bool DoctorReport::Healthy() const {
  return std::none_of(checks.begin(), checks.end(), [](const Check& c) { return c.result == R::kFail; });
}

json DoctorReport::ToJson() const {
  json list = json::array();
  for (const Check& c : checks) {
    json j = {{"subject", c.subject}, {"check", c.id}, {"result", ResultName(c.result)}, {"summary", c.summary}};
    if (!c.fix.empty()) j["fix"] = c.fix;
    list.push_back(j);
  }
  return json{{"healthy", Healthy()},
              {"temoin_version", std::string(protocol::HostVersion())},
              {"os", OsName(CurrentOs())},
              {"checks", list}};
}

std::string DoctorReport::ToText() const {
  std::ostringstream out;
  std::string subject;
  int failures = 0, warnings = 0;
  for (const Check& c : checks) {
    if (c.subject != subject) {
      subject = c.subject;
      out << (out.tellp() > 0 ? "\n" : "") << subject << "\n";
    }
    const char* mark = c.result == R::kOk ? "  ok    " : c.result == R::kWarn ? "  WARN  " : "  FAIL  ";
    out << mark << c.id << ": " << c.summary << "\n";
    if (!c.fix.empty() && c.result != R::kOk) {
      std::istringstream lines(c.fix);
      bool first = true;
      for (std::string line; std::getline(lines, line); first = false) {
        out << (first ? "        fix: " : "             ") << line << "\n";
      }
    }
    failures += c.result == R::kFail;
    warnings += c.result == R::kWarn;
  }
  out << "\n";
  if (failures == 0) {
    out << "All is well" << (warnings ? " (" + std::to_string(warnings) + " warning" + (warnings > 1 ? "s" : "") + ")" : "")
        << ".\n";
  } else {
    out << failures << " problem" << (failures > 1 ? "s" : "") << " found. Fix them in order: an early failure often "
        << "causes the later ones.\n";
  }
  return out.str();
}

namespace {

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

std::string Octal(unsigned mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0%03o", mode & 0777);
  return buf;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string Quote(const std::string& s) {
  bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("/._-:@+=").find(c) != std::string_view::npos;
  });
  if (plain && !s.empty()) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Whether `user` may run `file`: an execute bit that applies to them (root needs any execute bit).
bool ExecutableBy(const struct stat& st, const TargetUser& user) {
  if (user.uid == 0) return (st.st_mode & 0111) != 0;
  if (st.st_uid == user.uid) return (st.st_mode & 0100) != 0;
  if (st.st_gid == user.gid) return (st.st_mode & 0010) != 0;
  return (st.st_mode & 0001) != 0;
}

struct LocationChecker {
  const DoctorOptions& opt;
  const Location& loc;
  std::vector<Check>* out;
  std::string subject;
  std::string install_cmd;

  void Add(const std::string& id, R r, std::string summary, std::string fix = {}) {
    out->push_back(Check{subject, id, r, std::move(summary), std::move(fix)});
  }

  std::vector<fs::path> Candidates() const {
    std::vector<fs::path> c = {loc.manifest};
    if (!loc.flatpak_id.empty() || opt.request.profile_dir) return c;
    for (const auto& key : loc.keys) {
      const Browser* b = FindBrowser(key);
      if (b == nullptr) continue;
      const auto& dirs = opt.request.os == Os::kMacOs ? b->mac_system_dirs : b->linux_system_dirs;
      for (const auto& d : dirs) {
        fs::path p = UnderRoot(opt.request.root, d) / (std::string(protocol::kNativeHostName) + ".json");
        if (std::find(c.begin(), c.end(), p) == c.end()) c.push_back(p);
      }
    }
    return c;
  }

  void Run() {
    // manifest_present
    fs::path manifest;
    auto candidates = Candidates();
    for (const auto& c : candidates) {
      if (Exists(c)) {
        manifest = c;
        break;
      }
    }
    if (manifest.empty()) {
      std::vector<std::string> paths;
      for (const auto& c : candidates) paths.push_back(c.string());
      Add("manifest_present", R::kFail,
          "no host manifest where the browser looks (" + Join(paths, ", ") +
              "). The browser would say \"Specified native messaging host not found\".",
          "run: " + install_cmd);
      return;
    }
    Add("manifest_present", R::kOk,
        manifest.string() + (manifest == loc.manifest ? "" : " (system-wide)"));

    // manifest_json
    auto text = ReadSmallFile(manifest);
    if (!text.ok()) {
      Add("manifest_json", R::kFail, "cannot read it: " + text.status().message(),
          "check its permissions (it must be readable by you), or run: " + install_cmd);
      return;
    }
    json m = json::parse(*text, nullptr, false);
    if (m.is_discarded() || !m.is_object()) {
      Add("manifest_json", R::kFail,
          "it is not a valid JSON object, so the browser ignores it (\"Specified native messaging host not found\").",
          "run: " + install_cmd + "\n(it replaces a damaged Témoin manifest; a file of another program is left alone)");
      return;
    }
    std::string type = m.value("type", std::string());
    if (!m.contains("type") || !m["type"].is_string() || type != "stdio") {
      Add("manifest_json", R::kFail, "its \"type\" is not \"stdio\": browsers refuse it.", "run: " + install_cmd);
      return;
    }
    Add("manifest_json", R::kOk, "valid JSON, type stdio");

    // manifest_name
    std::string name = m.contains("name") && m["name"].is_string() ? m["name"].get<std::string>() : "";
    if (name != protocol::kNativeHostName) {
      Add("manifest_name", R::kFail,
          "the name inside is \"" + name + "\", but the browser looks for \"" +
              std::string(protocol::kNativeHostName) + "\" (\"Specified native messaging host not found\").",
          "run: " + install_cmd);
      return;
    }
    if (JudgeManifest(*text) != Ownership::kOurs) {
      Add("manifest_name", R::kFail,
          "another program's manifest uses Témoin's name (" + ExplainOwnership(*text) +
              "): the browser would start that program instead of Témoin.",
          "two programs cannot share a name. If that program is gone, remove " + manifest.string() +
              " and run: " + install_cmd + "; otherwise tell us, we will help.");
      return;
    }
    Add("manifest_name", R::kOk, std::string(protocol::kNativeHostName));

    // host_path
    std::string path_text = m.contains("path") && m["path"].is_string() ? m["path"].get<std::string>() : "";
    fs::path path(path_text);
    if (path_text.empty() || !path.is_absolute()) {
      Add("host_path", R::kFail,
          "the path \"" + path_text + "\" is not absolute; on Linux and macOS browsers need an absolute path "
          "(\"Specified native messaging host not found\").",
          "run: " + install_cmd);
      return;
    }
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) {
      Add("host_path", R::kFail, path.string() + " does not exist (moved, or uninstalled?).",
          "run, with the host's real place: " + install_cmd + " --host /path/to/temoin-host");
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      Add("host_path", R::kFail, path.string() + " is not a file.", "run: " + install_cmd + " --host /path/to/temoin-host");
      return;
    }
    if (!ExecutableBy(st, opt.user)) {
      Add("host_path", R::kFail,
          path.string() + " is not executable (mode " + Octal(st.st_mode) +
              "): the browser would say \"Native host has exited\".",
          "run: chmod +x " + Quote(path.string()));
      return;
    }
    fs::path host = path;
    if (!loc.flatpak_id.empty()) {
      auto script = ReadSmallFile(path);
      host = script.ok() ? HostFromFlatpakWrapper(*script) : fs::path();
      struct stat hst{};
      if (host.empty() || ::stat(host.c_str(), &hst) != 0 || !ExecutableBy(hst, opt.user)) {
        Add("host_path", R::kFail,
            "the Flatpak wrapper " + path.string() + " does not lead to an executable temoin-host" +
                (host.empty() ? "" : " (" + host.string() + ")") + ".",
            "run: " + install_cmd + " --host /path/to/temoin-host");
        return;
      }
      Add("host_path", R::kOk, path.string() + " -> " + host.string());
    } else {
      Add("host_path", R::kOk, path.string());
    }

    // allowed_ids
    const bool chromium = loc.family == Family::kChromium;
    const char* field = chromium ? "allowed_origins" : "allowed_extensions";
    const std::string want = chromium ? protocol::ChromiumOrigin(protocol::ChromiumExtensionId())
                                      : std::string(protocol::FirefoxExtensionId());
    std::vector<std::string> listed;
    if (m.contains(field) && m[field].is_array()) {
      for (const auto& v : m[field]) {
        if (v.is_string()) listed.push_back(v.get<std::string>());
      }
    }
    if (std::find(listed.begin(), listed.end(), want) != listed.end()) {
      Add("allowed_ids", R::kOk, std::string(field) + " has " + want);
    } else {
      std::string no_slash = want.substr(0, want.size() - 1);
      bool missing_slash = chromium && std::find(listed.begin(), listed.end(), no_slash) != listed.end();
      Add("allowed_ids", R::kFail,
          missing_slash ? std::string(field) + " lists " + no_slash + " without the final \"/\": the browser rejects "
                              "the whole manifest (\"Specified native messaging host not found\")."
                        : std::string(field) + " does not list Témoin's " + (chromium ? "origin " : "add-on id ") +
                              want + " (it lists: " + (listed.empty() ? "nothing" : Join(listed)) +
                              "): the browser says \"Access to the specified native messaging host is forbidden\".",
          "run: " + install_cmd +
              "\n(a store-listed extension with another id: add --allow-extension ID)");
      // The host may still start: go on.
    }

    // host_answers + schema_current
    LaunchSpec spec;
    spec.program = host;
    spec.args = chromium ? std::vector<std::string>{want}
                         : std::vector<std::string>{manifest.string(), std::string(protocol::FirefoxExtensionId())};
    spec.env = opt.child_env;
    if (opt.user.via_sudo) spec.run_as = std::make_pair(opt.user.uid, opt.user.gid);
    PingOutcome p = PingProgram(spec, opt.ping_timeout);
    std::string by_hand = "start it by hand to see what it says:\n    " + Quote(host.string());
    for (const auto& a : spec.args) by_hand += " " + Quote(a);
    by_hand += " </dev/null";
    std::string err_line = p.stderr_tail.empty() ? "" : " It said: \"" + p.stderr_tail.substr(p.stderr_tail.rfind('\n') == std::string::npos ? 0 : p.stderr_tail.rfind('\n') + 1) + "\".";
    const std::string ms = std::to_string(opt.ping_timeout.count()) + " ms";
    switch (p.kind) {
      case PingOutcome::Kind::kNotStarted:
        Add("host_answers", R::kFail,
            "the host could not be started: " + p.detail + " (\"Native host has exited\").",
            p.detail.find("No such file") != std::string::npos
                ? "its interpreter or a library is missing; reinstall Témoin, then " + by_hand
                : by_hand);
        return;
      case PingOutcome::Kind::kExited:
        Add("host_answers", R::kFail,
            "the host exited (status " + std::to_string(p.exit_status) + ") without answering (\"Native host has "
            "exited\")." + err_line,
            by_hand + "\nIts log is temoin-host.log in " + opt.data_dir.string());
        return;
      case PingOutcome::Kind::kTimedOut:
        Add("host_answers", R::kFail, "the host started but did not answer a ping within " + ms + "." + err_line,
            "another program may hold the database locked, or the disk is very slow. " + by_hand);
        return;
      case PingOutcome::Kind::kBadFrame:
        Add("host_answers", R::kFail,
            "the host wrote something that is not a message to its standard output: " + p.detail +
                " (\"Error when communicating with the native messaging host\").",
            "the manifest must point at temoin-host itself, not at a script that prints; run: " + install_cmd);
        return;
      case PingOutcome::Kind::kAnswered: break;
    }
    if (!p.reply) {
      Add("host_answers", R::kFail, "the host answered with something that is not JSON: " + p.detail,
          "the manifest must point at temoin-host itself; run: " + install_cmd);
      return;
    }
    const json& reply = *p.reply;
    if (!reply.is_object() || reply.value("ok", false) != true) {
      std::string code, message;
      if (reply.is_object() && reply.contains("error") && reply["error"].is_object()) {
        code = reply["error"].value("code", "");
        message = reply["error"].value("message", "");
      }
      Add("host_answers", R::kFail,
          "the host refused the ping: " + (code.empty() ? reply.dump() : code + ": " + message),
          code == "forbidden" ? "the host's allow-list lacks this browser's id; run: " + install_cmd
                              : by_hand);
      return;
    }
    std::string version = reply.contains("version") && reply["version"].is_string()
                              ? reply["version"].get<std::string>() : "?";
    Add("host_answers", R::kOk, "answered a ping in " + std::to_string(p.elapsed.count()) + " ms (temoin-host " +
                                    version + ")");
    if (!reply.contains("schema") || !reply["schema"].is_number_integer()) {
      Add("schema_current", R::kFail, "the host did not say which database schema it writes",
          "the host is older than this temoin; reinstall both from the same release");
      return;
    }
    int schema = reply["schema"].get<int>();
    if (schema != opt.expected_schema) {
      Add("schema_current", R::kFail,
          "the host writes database schema " + std::to_string(schema) + " but this temoin expects " +
              std::to_string(opt.expected_schema) + ": they come from different builds.",
          "reinstall both from the same release, or point the manifests at the matching host: " + install_cmd +
              " --host /path/to/the/new/temoin-host");
      return;
    }
    Add("schema_current", R::kOk, "schema " + std::to_string(schema));
  }

  void Sandbox() {
    if (!loc.flatpak_id.empty()) {
      const std::string want = "org.freedesktop.Flatpak=talk";
      bool allowed = false;
      for (const fs::path& f : {opt.user.home / ".local/share/flatpak/overrides" / loc.flatpak_id,
                                opt.user.home / ".local/share/flatpak/overrides/global",
                                UnderRoot(opt.request.root, "/var/lib/flatpak/overrides") / loc.flatpak_id}) {
        auto t = ReadSmallFile(f);
        if (t.ok() && t->find(want) != std::string::npos) allowed = true;
      }
      if (allowed) {
        Add("flatpak_permission", R::kOk, loc.flatpak_id + " may run programs outside its sandbox");
      } else {
        Add("flatpak_permission", R::kFail,
            loc.flatpak_id + " is not allowed to talk to org.freedesktop.Flatpak, so its wrapper cannot start "
            "temoin-host (\"Native host has exited\").",
            "run: flatpak override --user --talk-name=org.freedesktop.Flatpak " + loc.flatpak_id +
                "\nthen restart the browser");
      }
    }
  }
};

}  // namespace

std::vector<std::string> FoundBrowsers(const Request& req, const TargetUser& user) {
  std::vector<std::string> keys;
  for (const Browser& b : Browsers()) {
    bool found = false;
    auto home_has = [&](const std::string& d) { return Exists(fs::path(d).is_absolute() ? fs::path(d) : user.home / d); };
    if (req.os == Os::kLinux) {
      found = std::any_of(b.linux_detect.begin(), b.linux_detect.end(), home_has) ||
              std::any_of(b.linux_binaries.begin(), b.linux_binaries.end(),
                          [&](const std::string& p) { return Exists(UnderRoot(req.root, p)); }) ||
              (!b.flatpak_id.empty() && Exists(user.home / ".var/app" / b.flatpak_id)) ||
              (!b.snap_name.empty() && (Exists(UnderRoot(req.root, "/snap/bin") / b.snap_name) ||
                                        Exists(user.home / "snap" / b.snap_name)));
      found = found && !b.linux_user_dir.empty();
    } else if (req.os == Os::kMacOs) {
      found = std::any_of(b.mac_detect.begin(), b.mac_detect.end(), home_has);
    }
    if (found) keys.push_back(b.key);
  }
  return keys;
}

DoctorReport RunDoctor(const DoctorOptions& opt) {
  DoctorReport report;
  Request req = opt.request;
  req.scope = Scope::kUser;
  if (!req.profile_dir && req.browsers.empty()) req.browsers = FoundBrowsers(req, opt.user);

  if (!req.profile_dir && req.browsers.empty()) {
    report.checks.push_back(Check{"browsers", "browser_found", R::kFail,
                                  "no browser found in " + opt.user.home.string() + " or on this system.",
                                  "install Chromium or Firefox and start it once; a browser kept elsewhere: "
                                  "temoin doctor --browser NAME, or --profile DIR for a Chromium --user-data-dir"});
  } else {
    std::vector<std::string> notices;
    auto locations = FindLocations(req, opt.user, /*for_uninstall=*/false, &notices);
    if (!locations.ok()) {
      report.checks.push_back(Check{"browsers", "browser_found", R::kFail, locations.status().message(),
                                    "see temoin doctor --help"});
    } else {
      for (const Location& loc : *locations) {
        LocationChecker c{opt, loc, &report.checks, Join(loc.browsers), ""};
        if (!loc.flatpak_id.empty()) c.subject += " (Flatpak " + loc.flatpak_id + ")";
        c.install_cmd = req.profile_dir ? "temoin install --profile " + Quote(req.profile_dir->string())
                                        : "temoin install --browser " + loc.keys.front();
        c.Run();
        c.Sandbox();
      }
      // Snaps that cannot work at all.
      for (const auto& key : req.browsers) {
        const Browser* b = FindBrowser(key);
        if (b == nullptr || b->snap != SnapSupport::kNone) continue;
        if (Exists(UnderRoot(req.root, "/snap/bin") / b->snap_name) || Exists(opt.user.home / "snap" / b->snap_name)) {
          report.checks.push_back(Check{b->display + " (snap)", "snap", R::kFail,
                                        "the snap of " + b->display + " cannot start native programs: Témoin cannot "
                                        "work in it.",
                                        "use " + b->display + " from your distribution's packages or from Flathub "
                                        "(then run temoin install)"});
        }
      }
    }
  }

  // data_folder
  const std::string subject = "the data folder";
  struct stat st{};
  if (::stat(opt.data_dir.c_str(), &st) != 0) {
    report.checks.push_back(Check{subject, "data_folder", R::kWarn,
                                  opt.data_dir.string() + " does not exist yet: the host creates it when the "
                                  "extension first connects.",
                                  "open the browser with the extension, then run temoin doctor again"});
  } else if (!S_ISDIR(st.st_mode)) {
    report.checks.push_back(Check{subject, "data_folder", R::kFail, opt.data_dir.string() + " is not a folder",
                                  "move it away; the host recreates the folder"});
  } else if (st.st_uid != opt.user.uid) {
    report.checks.push_back(Check{subject, "data_folder", R::kFail,
                                  opt.data_dir.string() + " belongs to uid " + std::to_string(st.st_uid) +
                                      ", not to you: the host refuses it.",
                                  "run: sudo chown -R " + (opt.user.name.empty() ? std::to_string(opt.user.uid)
                                                                                 : opt.user.name) +
                                      ": " + Quote(opt.data_dir.string())});
  } else if ((st.st_mode & 0700) != 0700) {
    report.checks.push_back(Check{subject, "data_folder", R::kFail,
                                  opt.data_dir.string() + " is not writable by you (mode " + Octal(st.st_mode) + ")",
                                  "run: chmod 700 " + Quote(opt.data_dir.string())});
  } else if ((st.st_mode & 077) != 0) {
    report.checks.push_back(Check{subject, "data_folder", R::kFail,
                                  opt.data_dir.string() + " is open to other users (mode " + Octal(st.st_mode) +
                                      "); it must be 0700.",
                                  "run: chmod 700 " + Quote(opt.data_dir.string())});
  } else {
    std::vector<std::string> open_files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(opt.data_dir, ec)) {
      struct stat fst{};
      if (::lstat(e.path().c_str(), &fst) == 0 && S_ISREG(fst.st_mode) && (fst.st_mode & 077) != 0) {
        open_files.push_back(e.path().filename().string() + " (" + Octal(fst.st_mode) + ")");
      }
    }
    if (!open_files.empty()) {
      report.checks.push_back(Check{subject, "data_folder", R::kFail,
                                    "files readable by other users: " + Join(open_files) + "; they must be 0600.",
                                    "run: chmod 600 " + Quote(opt.data_dir.string()) + "/*"});
    } else {
      report.checks.push_back(Check{subject, "data_folder", R::kOk, opt.data_dir.string() + " (0700, files 0600)"});
    }
  }

  for (const auto& extra : opt.extra_checks) {
    auto more = extra();
    report.checks.insert(report.checks.end(), more.begin(), more.end());
  }
  return report;
}

}  // namespace temoin::install
