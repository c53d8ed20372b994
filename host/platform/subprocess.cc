#include "platform/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace temoin {

namespace {
std::chrono::steady_clock::time_point Deadline(std::chrono::milliseconds timeout) {
  return std::chrono::steady_clock::now() + timeout;
}
int MsLeft(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}
}  // namespace

Result<std::unique_ptr<Subprocess>> Subprocess::Spawn(const std::vector<std::string>& argv,
                                                      const std::map<std::string, std::string>& env_overrides,
                                                      bool quiet_stderr) {
  if (argv.empty()) return Status(Code::kInvalidArgument, "nothing to run");
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return Status(Code::kIo, std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return Status(Code::kIo, std::string("pipe: ") + std::strerror(errno));
  }

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('='));
    if (!env_overrides.count(name)) env_strings.push_back(entry);
  }
  for (const auto& [name, value] : env_overrides) {
    if (!value.empty()) env_strings.push_back(name + "=" + value);
  }
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  if (quiet_stderr) posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  // Nothing else of ours leaks into the child (a test runner's log file, another child's pipe), whether or not
  // it was opened with O_CLOEXEC.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  if (rc != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    return Status(Code::kIo, "cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  std::unique_ptr<Subprocess> child(new Subprocess());
  child->pid_ = pid;
  child->stdin_fd_ = in_pipe[1];
  child->stdout_fd_ = out_pipe[0];
  return child;
}

Subprocess::~Subprocess() {
  CloseStdin();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (pid_ > 0 && !exit_status_) {
    ::kill(pid_, SIGKILL);
    int status;
    ::waitpid(pid_, &status, 0);
  }
}

Status Subprocess::WriteAll(std::string_view bytes) {
  // The child may have exited: a write then fails with EPIPE, which must not kill us.
  struct sigaction ignore{}, previous{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &previous);
  Status status;
  while (!bytes.empty()) {
    ssize_t n = ::write(stdin_fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status = Status(Code::kIo, std::string("writing to the child failed: ") + std::strerror(errno));
      break;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  ::sigaction(SIGPIPE, &previous, nullptr);
  return status;
}

Result<std::string> Subprocess::ReadExactly(std::size_t n, std::chrono::milliseconds timeout) {
  auto deadline = Deadline(timeout);
  std::string data;
  data.resize(n);
  std::size_t got = 0;
  while (got < n) {
    pollfd pfd{stdout_fd_, POLLIN, 0};
    int ready = ::poll(&pfd, 1, MsLeft(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return Status(Code::kIo, "timed out waiting for the child's answer");
    ssize_t r = ::read(stdout_fd_, data.data() + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Status(Code::kIo, "the child closed its output");
    got += static_cast<std::size_t>(r);
  }
  return data;
}

void Subprocess::CloseStdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

Result<int> Subprocess::Wait(std::chrono::milliseconds timeout) {
  if (exit_status_) return *exit_status_;
  auto deadline = Deadline(timeout);
  while (true) {
    int status;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return *exit_status_;
    }
    if (r < 0 && errno != EINTR) return Status(Code::kIo, std::string("waitpid: ") + std::strerror(errno));
    if (MsLeft(deadline) == 0) return Status(Code::kIo, "the child did not exit in time");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void Subprocess::Kill(int signal) {
  if (pid_ > 0 && !exit_status_) ::kill(pid_, signal);
}

}  // namespace temoin
