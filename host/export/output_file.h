// OutputFile: one file of the dossier, written through a buffer so that a 100,000-task export streams to disk
// in bounded memory. Created new (O_EXCL, O_NOFOLLOW, mode 0600): an export never writes through a symbolic
// link planted in its folder, and never truncates a file it did not create unless asked to replace it.
// Errors are sticky: the first failed write is reported by Close().
#ifndef TEMOIN_EXPORT_OUTPUT_FILE_H_
#define TEMOIN_EXPORT_OUTPUT_FILE_H_

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace temoin::exporter {

class OutputFile {
 public:
  // `replace`: an existing regular file of that name is removed first (never followed if it is a link).
  static Result<std::unique_ptr<OutputFile>> Create(const std::filesystem::path& path, bool replace);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  OutputFile& operator<<(std::string_view text) {
    Write(text);
    return *this;
  }
  void Write(std::string_view text);
  // Flushes and closes; the first error of any write, or of the close.
  Status Close();

 private:
  OutputFile(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  void Flush();

  int fd_ = -1;
  std::filesystem::path path_;
  std::string buffer_;
  Status status_;
};

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_OUTPUT_FILE_H_
