// The native messaging host manifest Témoin writes, and how a manifest found on disk is read and judged:
// ours (we may replace or remove it), another program's (never touched), or unreadable.
//
//   {"name": "org.temoin.host", "description": "Témoin ...", "path": "/abs/temoin-host", "type": "stdio",
//    "allowed_origins": ["chrome-extension://<id>/"]}          (Chromium family)
//    "allowed_extensions": ["temoin@temoin.org"]                (Firefox family, instead of allowed_origins)
//
// Also the per-user configuration file `<data dir>/host.json` ({"extra_extension_ids": [...]}), where
// `temoin install --allow-extension ID` records store-listing ids the host must accept besides its own.
#ifndef TEMOIN_INSTALL_MANIFEST_H_
#define TEMOIN_INSTALL_MANIFEST_H_

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "install/browsers.h"

namespace temoin::install {

// The description every Témoin manifest carries; "Témoin" in it is one of the marks of our manifests.
inline constexpr const char* kManifestDescription = "Témoin: a private record of your micro-task work";

// The name of the host configuration file inside the data folder.
inline constexpr const char* kHostConfigFile = "host.json";

// Extension ids besides Témoin's own, sorted by the dialect that lists them.
struct ExtraIds {
  std::vector<std::string> chromium;  // 32 letters a-p
  std::vector<std::string> firefox;   // "name@domain" or "{GUID}"
};

// A Chromium extension id: exactly 32 characters, each in a-p.
bool IsChromiumId(const std::string& id);
// A Firefox add-on id: an email-like "name@domain" or a "{GUID}".
bool IsFirefoxId(const std::string& id);

// Sorts ids given with --allow-extension; an id that is neither kind is kInvalidArgument naming it.
// Duplicates and Témoin's own ids are dropped.
Result<ExtraIds> ClassifyExtraIds(const std::vector<std::string>& ids);

// The manifest for a browser family: Témoin's own id first, then the extra ones.
nlohmann::json MakeManifest(Family family, const std::filesystem::path& host_path, const ExtraIds& extra);
// The bytes written to disk (two-space indented, UTF-8, final newline).
std::string ManifestText(const nlohmann::json& manifest);

enum class Ownership {
  kOurs,        // name is ours, description says Témoin, path is a temoin-host
  kForeign,     // valid JSON that is someone else's (even with our name)
  kUnreadable,  // not JSON, or not an object: we cannot tell whose it is
};
Ownership JudgeManifest(const std::string& text);
// Why a manifest is judged foreign or unreadable, in plain words ("its path is /usr/bin/other-host").
std::string ExplainOwnership(const std::string& text);

// Reads a whole (small) file. kNotFound when it does not exist.
Result<std::string> ReadSmallFile(const std::filesystem::path& file);

// host.json: the ids recorded there, or none when the file does not exist.
Result<std::vector<std::string>> ReadExtraIdsFromConfig(const std::filesystem::path& data_dir);
// The new text of host.json: `existing` (may be empty) with `ids` added to extra_extension_ids (no
// duplicates, order kept); other keys are left as they are. kInvalidArgument when `existing` is not a JSON object.
Result<std::string> MergeHostConfig(const std::string& existing, const std::vector<std::string>& ids);

}  // namespace temoin::install

#endif  // TEMOIN_INSTALL_MANIFEST_H_
