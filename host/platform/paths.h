// Where Témoin keeps its files. The data folder holds the database and the host's log:
//   $TEMOIN_DATA_DIR if set (tests always set it), else $XDG_DATA_HOME/temoin, else ~/.local/share/temoin.
// The folder is private to the user (0700) and its files 0600: EnsurePrivateDataDir creates it so, repairs
// modes that are too open, and refuses a folder owned by someone else.
#ifndef TEMOIN_PLATFORM_PATHS_H_
#define TEMOIN_PLATFORM_PATHS_H_

#include <filesystem>

#include "base/status.h"
#include "platform/environment.h"

namespace temoin {

// The user's home: $HOME, else the password database.
Result<std::filesystem::path> HomeDir(const Environment& env);

Result<std::filesystem::path> DataDir(const Environment& env);

// The folder the demo writes into, apart from the worker's real data: $TEMOIN_DATA_DIR/../temoin-demo is not
// used; it is $XDG_DATA_HOME/temoin-demo (or ~/.local/share/temoin-demo), or $TEMOIN_DEMO_DIR if set.
Result<std::filesystem::path> DemoDataDir(const Environment& env);

// The database file inside a data folder.
inline std::filesystem::path DatabasePath(const std::filesystem::path& data_dir) { return data_dir / "temoin.db"; }

// Creates `dir` (and parents) with mode 0700 if missing; tightens a folder that is group- or world-accessible
// to 0700, and files in it to 0600. Refuses a folder that belongs to another user.
Status EnsurePrivateDataDir(const std::filesystem::path& dir);

}  // namespace temoin

#endif  // TEMOIN_PLATFORM_PATHS_H_
