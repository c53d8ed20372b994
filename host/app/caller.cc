#include "app/caller.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "protocol/extension_identity.h"

namespace temoin::app {

namespace {
constexpr std::string_view kChromeScheme = "chrome-extension://";
}

Caller IdentifyCaller(const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  for (const auto& a : args) {
    if (a.rfind("--parent-window=", 0) == 0) continue;
    positional.push_back(a);
  }
  Caller caller;
  if (positional.empty()) return caller;
  const std::string& first = positional[0];
  if (first.rfind(kChromeScheme, 0) == 0) {
    caller.kind = Caller::Kind::kChromium;
    std::string id = first.substr(kChromeScheme.size());
    if (!id.empty() && id.back() == '/') id.pop_back();
    caller.id = id;
    caller.description = first;
    return caller;
  }
  if (positional.size() >= 2 && std::filesystem::path(first).is_absolute()) {
    caller.kind = Caller::Kind::kFirefox;
    caller.id = positional[1];
    caller.description = "Firefox add-on " + positional[1] + " (manifest " + first + ")";
    return caller;
  }
  caller.kind = Caller::Kind::kUnknown;
  caller.description = "unrecognised launch arguments starting with '" + first.substr(0, 80) + "'";
  return caller;
}

namespace {
std::vector<std::string> BuiltInIds() {
  return {protocol::ChromiumExtensionId(), std::string(protocol::FirefoxExtensionId())};
}
}  // namespace

AllowList LoadAllowList(const std::filesystem::path& data_dir) {
  AllowList list;
  list.ids = BuiltInIds();
  // No data folder: no host.json. An empty path would read one from whatever the current directory is.
  if (data_dir.empty()) return list;
  std::filesystem::path config = data_dir / "host.json";
  std::ifstream in(config);
  if (!in) return list;  // no configuration: the built-in ids only
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    list.config_status = Status(Code::kInvalidArgument, config.string() + " is not a JSON object; ignoring it");
    return list;
  }
  if (auto it = json.find("extra_extension_ids"); it != json.end()) {
    if (!it->is_array()) {
      list.config_status = Status(Code::kInvalidArgument, config.string() + ": extra_extension_ids must be a list");
      return list;
    }
    for (const auto& id : *it) {
      if (id.is_string() && !id.get<std::string>().empty()) list.ids.push_back(id.get<std::string>());
    }
  }
  return list;
}

bool IsAllowed(const Caller& caller, const AllowList& allow_list) {
  switch (caller.kind) {
    case Caller::Kind::kLocalUser: return true;
    case Caller::Kind::kUnknown: return false;
    case Caller::Kind::kChromium:
    case Caller::Kind::kFirefox:
      for (const auto& id : allow_list.ids) {
        if (!id.empty() && id == caller.id) return true;
      }
      return false;
  }
  return false;
}

CallerCheck CheckCaller(const Caller& caller, const std::filesystem::path& data_dir) {
  CallerCheck check;
  if (caller.kind == Caller::Kind::kLocalUser || caller.kind == Caller::Kind::kUnknown) {
    check.allowed = IsAllowed(caller, AllowList{});  // host.json cannot change these answers
    return check;
  }
  if (IsAllowed(caller, AllowList{BuiltInIds(), Status()})) {  // Témoin's own: host.json can only add ids
    check.allowed = true;
    return check;
  }
  AllowList list = LoadAllowList(data_dir);
  check.allowed = IsAllowed(caller, list);
  check.config_status = list.config_status;
  return check;
}

}  // namespace temoin::app
