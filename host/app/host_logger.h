// The host's log: a file in the data folder, rotated (kLogFiles files of kLogFileBytes) so that a host running
// every day never fills the disk, and standard error, which browsers keep (Chrome passes it through, Firefox
// shows it in the Browser Console). Never standard output: that is the wire.
#ifndef TEMOIN_APP_HOST_LOGGER_H_
#define TEMOIN_APP_HOST_LOGGER_H_

#include <filesystem>
#include <memory>
#include <string_view>

namespace spdlog {
class logger;
}

namespace temoin::app {

inline constexpr std::size_t kLogFileBytes = 1024 * 1024;
inline constexpr std::size_t kLogFiles = 3;

// Lines go to <data_dir>/temoin-host.log (when data_dir is not empty and writable) and, from Warn up, to
// stderr. The file is opened on the first line logged, not at construction: nothing is opened before the host's
// first reply. Callers pass finished lines: spdlog (and fmt, header-only in this build) stays inside
// host_logger.cc, because every file that includes them compiles half a megabyte of their code again.
class HostLog {
 public:
  explicit HostLog(const std::filesystem::path& data_dir);
  ~HostLog();
  HostLog(const HostLog&) = delete;
  HostLog& operator=(const HostLog&) = delete;

  void Info(std::string_view line);
  void Warn(std::string_view line);
  void Error(std::string_view line);

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace temoin::app

#endif  // TEMOIN_APP_HOST_LOGGER_H_
