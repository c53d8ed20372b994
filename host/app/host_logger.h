// The host's log: a file in the data folder, rotated (kLogFiles files of kLogFileBytes) so that a host running
// every day never fills the disk, and standard error, which browsers keep (Chrome passes it through, Firefox
// shows it in the Browser Console). Never standard output: that is the wire.
#ifndef TEMOIN_APP_HOST_LOGGER_H_
#define TEMOIN_APP_HOST_LOGGER_H_

#include <filesystem>
#include <memory>

#include <spdlog/logger.h>

namespace temoin::app {

inline constexpr std::size_t kLogFileBytes = 1024 * 1024;
inline constexpr std::size_t kLogFiles = 3;

// A logger writing to <data_dir>/temoin-host.log (when data_dir is not empty and writable) and to stderr. The
// file is opened on the first line logged, not here: nothing is opened before the host's first reply.
std::shared_ptr<spdlog::logger> MakeHostLogger(const std::filesystem::path& data_dir);

}  // namespace temoin::app

#endif  // TEMOIN_APP_HOST_LOGGER_H_
