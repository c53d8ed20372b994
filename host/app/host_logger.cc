#include "app/host_logger.h"

#include <unistd.h>

#include <spdlog/details/null_mutex.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace temoin::app {

namespace {

// The rotating log file, opened on the first line logged rather than at start: a host that has nothing to say
// before its first reply (a ping, an event) does not stat, open and fstat a file on the way there. A file that
// cannot be opened (a read-only folder) is not tried again; stderr still gets the problems.
class LazyRotatingFileSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit LazyRotatingFileSink(std::filesystem::path path) : path_(std::move(path)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (Open()) file_->log(msg);
  }
  void flush_() override {
    if (file_) file_->flush();
  }

 private:
  bool Open() {
    if (file_) return true;
    if (failed_) return false;
    try {
      file_ = std::make_unique<spdlog::sinks::rotating_file_sink_st>(path_.string(), kLogFileBytes, kLogFiles - 1);
      file_->set_formatter(formatter_->clone());  // the logger's pattern, given to this sink
    } catch (const std::exception&) {
      file_.reset();
      failed_ = true;
    }
    return file_ != nullptr;
  }

  std::filesystem::path path_;
  std::unique_ptr<spdlog::sinks::rotating_file_sink_st> file_;
  bool failed_ = false;
};

}  // namespace

HostLog::HostLog(const std::filesystem::path& data_dir) {
  std::vector<spdlog::sink_ptr> sinks;
  auto to_stderr = std::make_shared<spdlog::sinks::stderr_sink_st>();
  to_stderr->set_level(spdlog::level::warn);  // the browser's console wants problems, not chatter
  sinks.push_back(to_stderr);
  if (!data_dir.empty()) sinks.push_back(std::make_shared<LazyRotatingFileSink>(data_dir / "temoin-host.log"));
  logger_ = std::make_shared<spdlog::logger>("temoin-host", sinks.begin(), sinks.end());
  logger_->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z [" + std::to_string(::getpid()) + "] %l: %v");
  logger_->set_level(spdlog::level::info);
  logger_->flush_on(spdlog::level::info);
}

HostLog::~HostLog() = default;

// The line is logged as it is, never read as a format string: it may hold braces from a path or a message.
void HostLog::Info(std::string_view line) { logger_->log(spdlog::level::info, spdlog::string_view_t(line)); }
void HostLog::Warn(std::string_view line) { logger_->log(spdlog::level::warn, spdlog::string_view_t(line)); }
void HostLog::Error(std::string_view line) { logger_->log(spdlog::level::err, spdlog::string_view_t(line)); }

}  // namespace temoin::app
