#include "app/host_logger.h"

#include <unistd.h>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace temoin::app {

std::shared_ptr<spdlog::logger> MakeHostLogger(const std::filesystem::path& data_dir) {
  std::vector<spdlog::sink_ptr> sinks;
  auto to_stderr = std::make_shared<spdlog::sinks::stderr_sink_st>();
  to_stderr->set_level(spdlog::level::warn);  // the browser's console wants problems, not chatter
  sinks.push_back(to_stderr);
  if (!data_dir.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_st>(
          (data_dir / "temoin-host.log").string(), kLogFileBytes, kLogFiles - 1));
    } catch (const std::exception&) {
      // A read-only data folder must not stop the host from answering; stderr still gets the problems.
    }
  }
  auto logger = std::make_shared<spdlog::logger>("temoin-host", sinks.begin(), sinks.end());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z [" + std::to_string(::getpid()) + "] %l: %v");
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  return logger;
}

}  // namespace temoin::app
