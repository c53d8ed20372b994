// Where the `export` message writes: a new dated folder inside the user's Downloads folder, never a path the
// caller gives (a compromised page must not be able to make the host write anywhere it likes).
//
// The Downloads folder is what `xdg-user-dir DOWNLOAD` says (run without a shell, with the HOME and
// XDG_CONFIG_HOME of the injected environment), else ~/Downloads. xdg-user-dir answers $HOME itself when the
// user never configured a Downloads folder; that answer is taken as "not configured" too, so a dossier never
// lands loose in the home folder. The folder is created if missing.
#ifndef TEMOIN_EXPORT_DOWNLOADS_H_
#define TEMOIN_EXPORT_DOWNLOADS_H_

#include <filesystem>
#include <string>

#include "base/status.h"
#include "platform/clock.h"
#include "platform/environment.h"

namespace temoin::exporter {

Result<std::filesystem::path> DownloadsDir(const Environment& env);

// A short, safe folder-name piece for an account: lowercase ASCII letters and digits, '.', '_', '@' and '-'
// kept; anything else becomes '-'; at most 40 characters; "account" if nothing is left.
std::string FolderSlug(const std::string& text);

// Creates, with mode 0700, `parent`/temoin-PLATFORM-ACCOUNT-YYYY-MM-DDTHHMM (local time of the clock); adds
// -2, -3... when the name is taken, so an export never mixes with an earlier one.
Result<std::filesystem::path> CreateDatedFolder(const std::filesystem::path& parent, const std::string& platform,
                                                const std::string& account, const Clock& clock);

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_DOWNLOADS_H_
