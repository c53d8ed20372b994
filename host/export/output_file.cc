#include "export/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace temoin::exporter {

namespace {
constexpr std::size_t kBufferBytes = 1 << 16;
}

Result<std::unique_ptr<OutputFile>> OutputFile::Create(const std::filesystem::path& path, bool replace) {
  int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0 && errno == EEXIST && replace) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::unlink(path.c_str()) == 0) {
      fd = ::open(path.c_str(), flags, 0600);
    } else {
      errno = EEXIST;
    }
  }
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status(Code::kIo, path.string() + " already exists (an export never overwrites a file unless told to)");
    }
    return Status(Code::kIo, "cannot create " + path.string() + ": " + std::strerror(errno));
  }
  return std::unique_ptr<OutputFile>(new OutputFile(fd, path));
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

void OutputFile::Write(std::string_view text) {
  buffer_.append(text);
  if (buffer_.size() >= kBufferBytes) Flush();
}

void OutputFile::Flush() {
  std::string_view rest = buffer_;
  while (status_.ok() && !rest.empty()) {
    ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status_ = Status(Code::kIo, "cannot write " + path_.string() + ": " + std::strerror(errno));
      break;
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  buffer_.clear();
}

Status OutputFile::Close() {
  if (fd_ < 0) return status_;
  Flush();
  if (::close(fd_) != 0 && status_.ok()) {
    status_ = Status(Code::kIo, "cannot close " + path_.string() + ": " + std::strerror(errno));
  }
  fd_ = -1;
  return status_;
}

}  // namespace temoin::exporter
