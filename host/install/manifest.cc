#include "install/manifest.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "protocol/extension_identity.h"

namespace temoin::install {

namespace fs = std::filesystem;
using nlohmann::json;

bool IsChromiumId(const std::string& id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) { return c >= 'a' && c <= 'p'; });
}

bool IsFirefoxId(const std::string& id) {
  if (id.empty() || id.size() > 255) return false;
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_' || c == '+';
  };
  if (id.front() == '{' && id.back() == '}') {
    // {8-4-4-4-12 hex}
    if (id.size() != 38) return false;
    for (size_t i = 1; i + 1 < id.size(); ++i) {
      char c = id[i];
      bool dash = (i == 9 || i == 14 || i == 19 || i == 24);
      if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
  }
  auto at = id.find('@');
  if (at == std::string::npos || id.find('@', at + 1) != std::string::npos) return false;
  // The part before '@' may be empty for ids like "@addon" that some add-ons use.
  if (at + 1 >= id.size()) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) { return c == '@' || plain(c); });
}

Result<ExtraIds> ClassifyExtraIds(const std::vector<std::string>& ids) {
  ExtraIds out;
  const std::string own_chromium = protocol::ChromiumExtensionId();
  const std::string own_firefox(protocol::FirefoxExtensionId());
  for (const std::string& id : ids) {
    if (IsChromiumId(id)) {
      if (id != own_chromium && std::find(out.chromium.begin(), out.chromium.end(), id) == out.chromium.end()) {
        out.chromium.push_back(id);
      }
    } else if (IsFirefoxId(id)) {
      if (id != own_firefox && std::find(out.firefox.begin(), out.firefox.end(), id) == out.firefox.end()) {
        out.firefox.push_back(id);
      }
    } else {
      return Status(Code::kInvalidArgument,
                    "'" + id + "' is not an extension id: a Chromium id is 32 letters from a to p (the id shown "
                    "on chrome://extensions), a Firefox add-on id looks like name@example.org or {GUID}",
                    "allow-extension");
    }
  }
  return out;
}

json MakeManifest(Family family, const fs::path& host_path, const ExtraIds& extra) {
  json m = json::object();
  m["name"] = std::string(protocol::kNativeHostName);
  m["description"] = kManifestDescription;
  m["path"] = host_path.string();
  m["type"] = "stdio";
  if (family == Family::kChromium) {
    json origins = json::array({protocol::ChromiumOrigin(protocol::ChromiumExtensionId())});
    for (const auto& id : extra.chromium) origins.push_back(protocol::ChromiumOrigin(id));
    m["allowed_origins"] = origins;
  } else {
    json exts = json::array({std::string(protocol::FirefoxExtensionId())});
    for (const auto& id : extra.firefox) exts.push_back(id);
    m["allowed_extensions"] = exts;
  }
  return m;
}

std::string ManifestText(const json& manifest) {
  // nlohmann sorts keys; the order does not matter to browsers.
  return manifest.dump(2, ' ', false, json::error_handler_t::strict) + "\n";
}

namespace {
std::optional<json> ParseObject(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

Ownership JudgeManifest(const std::string& text) {
  auto j = ParseObject(text);
  if (!j) return Ownership::kUnreadable;
  const std::string name = StringField(*j, "name");
  const std::string description = StringField(*j, "description");
  const std::string file = fs::path(StringField(*j, "path")).filename().string();
  bool ours = name == protocol::kNativeHostName && description.find("Témoin") != std::string::npos &&
              file.rfind("temoin-host", 0) == 0;
  return ours ? Ownership::kOurs : Ownership::kForeign;
}

std::string ExplainOwnership(const std::string& text) {
  auto j = ParseObject(text);
  if (!j) return "it is not a JSON object, so it cannot be told whose it is";
  const std::string name = StringField(*j, "name");
  const std::string description = StringField(*j, "description");
  const std::string path = StringField(*j, "path");
  if (name != protocol::kNativeHostName) return "its name is '" + name + "', not " + std::string(protocol::kNativeHostName);
  if (fs::path(path).filename().string().rfind("temoin-host", 0) != 0) {
    return "it starts '" + path + "', which is not a temoin-host";
  }
  if (description.find("Témoin") == std::string::npos) return "its description ('" + description + "') is not Témoin's";
  return "it is Témoin's";
}

Result<std::string> ReadSmallFile(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return Status(Code::kNotFound, file.string() + " does not exist");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(Code::kIo, "cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  if (s.str().size() > (1u << 20)) return Status(Code::kIo, file.string() + " is larger than 1 MiB");
  return s.str();
}

Result<std::vector<std::string>> ReadExtraIdsFromConfig(const fs::path& data_dir) {
  auto text = ReadSmallFile(data_dir / kHostConfigFile);
  if (!text.ok()) {
    if (text.status().code() == Code::kNotFound) return std::vector<std::string>{};
    return text.status();
  }
  auto j = ParseObject(*text);
  if (!j) return Status(Code::kInvalidArgument, (data_dir / kHostConfigFile).string() + " is not a JSON object");
  std::vector<std::string> ids;
  auto it = j->find("extra_extension_ids");
  if (it == j->end()) return ids;
  if (!it->is_array()) {
    return Status(Code::kInvalidArgument, "extra_extension_ids in " + (data_dir / kHostConfigFile).string() +
                                              " is not a list");
  }
  for (const auto& v : *it) {
    if (v.is_string()) ids.push_back(v.get<std::string>());
  }
  return ids;
}

Result<std::string> MergeHostConfig(const std::string& existing, const std::vector<std::string>& ids) {
  json j = json::object();
  if (!existing.empty()) {
    auto parsed = ParseObject(existing);
    if (!parsed) return Status(Code::kInvalidArgument, "host.json is not a JSON object; fix or remove it");
    j = *parsed;
  }
  json list = j.contains("extra_extension_ids") && j["extra_extension_ids"].is_array() ? j["extra_extension_ids"]
                                                                                         : json::array();
  for (const auto& id : ids) {
    if (std::find(list.begin(), list.end(), json(id)) == list.end()) list.push_back(id);
  }
  j["extra_extension_ids"] = list;
  return j.dump(2) + "\n";
}

}  // namespace temoin::install
