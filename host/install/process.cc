#include "install/process.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace temoin::install {

namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  int r = -1, w = -1;
  bool Open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    r = fds[0];
    w = fds[1];
    return true;
  }
};

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// SIGPIPE would kill us when the child has exited before reading its input: ignore it while we talk.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ign{};
    ign.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ign, &old_);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &old_, nullptr); }

 private:
  struct sigaction old_{};
};

struct Child {
  pid_t pid = -1;
  int in = -1, out = -1, err = -1;
  std::string exec_error;  // set when execve failed
  int status = -1;         // once reaped
  bool reaped = false;

  ~Child() {
    CloseFd(in);
    CloseFd(out);
    CloseFd(err);
    if (pid > 0 && !reaped) {
      ::kill(pid, SIGKILL);
      int st;
      ::waitpid(pid, &st, 0);
    }
  }

  bool Start(const LaunchSpec& spec) {
    Pipe pin, pout, perr, pexec;
    if (!pin.Open() || !pout.Open() || !perr.Open() || !pexec.Open()) {
      exec_error = std::string("cannot create pipes: ") + std::strerror(errno);
      return false;
    }
    // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
    std::vector<std::string> args_store;
    args_store.push_back(spec.program.string());
    args_store.insert(args_store.end(), spec.args.begin(), spec.args.end());
    std::vector<char*> argv, envp;
    for (auto& a : args_store) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_store = spec.env;
    for (auto& e : env_store) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string cwd = (spec.cwd.empty() ? spec.program.parent_path() : spec.cwd).string();
    const bool drop = spec.run_as.has_value();
    const uid_t uid = drop ? spec.run_as->first : 0;
    const gid_t gid = drop ? spec.run_as->second : 0;

    pid = ::fork();
    if (pid < 0) {
      exec_error = std::string("cannot fork: ") + std::strerror(errno);
      return false;
    }
    if (pid == 0) {
      auto fail = [&](int stage) {
        int e[2] = {stage, errno};
        (void)!::write(pexec.w, e, sizeof e);
        ::_exit(127);
      };
      if (::dup2(pin.r, 0) < 0 || ::dup2(pout.w, 1) < 0 || ::dup2(perr.w, 2) < 0) fail(1);
      ::signal(SIGPIPE, SIG_DFL);
      if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) fail(2);
      if (drop && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)) fail(3);
      ::execve(argv[0], argv.data(), envp.data());
      fail(4);
    }
    CloseFd(pin.r);
    CloseFd(pout.w);
    CloseFd(perr.w);
    CloseFd(pexec.w);
    in = pin.w;
    out = pout.r;
    err = perr.r;
    int e[2];
    ssize_t n;
    do n = ::read(pexec.r, e, sizeof e); while (n < 0 && errno == EINTR);
    CloseFd(pexec.r);
    if (n == static_cast<ssize_t>(sizeof e)) {
      static const char* kStage[] = {"", "cannot set up its pipes", "cannot enter its folder",
                                     "cannot switch to the user", "cannot be executed"};
      exec_error = std::string(kStage[e[0] >= 1 && e[0] <= 4 ? e[0] : 4]) + ": " + std::strerror(e[1]);
      Reap(std::chrono::milliseconds(1000));
      return false;
    }
    ::fcntl(out, F_SETFL, O_NONBLOCK);
    ::fcntl(err, F_SETFL, O_NONBLOCK);
    return true;
  }

  // Waits for the child to end until `budget` passes, then kills it. True when it ended by itself.
  bool Reap(std::chrono::milliseconds budget) {
    if (reaped) return true;
    auto deadline = Clock::now() + budget;
    int st = 0;
    while (true) {
      pid_t r = ::waitpid(pid, &st, WNOHANG);
      if (r == pid) break;
      if (r < 0 && errno != EINTR) { reaped = true; return false; }
      if (Clock::now() >= deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &st, 0);
        reaped = true;
        status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        return false;
      }
      ::usleep(5000);
    }
    reaped = true;
    status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return true;
  }
};

// Reads what is available on `fd` into `buf` (up to `cap` bytes kept). Returns false at end of file.
bool Drain(int fd, std::string* buf, size_t cap) {
  char chunk[4096];
  while (true) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      size_t keep = std::min(static_cast<size_t>(n), cap > buf->size() ? cap - buf->size() : 0);
      buf->append(chunk, keep);
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

std::string Tail(const std::string& s, size_t max) {
  std::string t = s.size() > max ? s.substr(s.size() - max) : s;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  return t;
}

std::string Printable(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> EnvironmentWith(const std::map<std::string, std::optional<std::string>>& changes) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    std::string name = entry.substr(0, entry.find('='));
    if (changes.count(name)) continue;
    out.push_back(entry);
  }
  for (const auto& [name, value] : changes) {
    if (value) out.push_back(name + "=" + *value);
  }
  return out;
}

PingOutcome PingProgram(const LaunchSpec& spec, std::chrono::milliseconds timeout) {
  IgnoreSigpipe guard;
  PingOutcome outcome;
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  Child child;
  if (!child.Start(spec)) {
    outcome.kind = PingOutcome::Kind::kNotStarted;
    outcome.detail = child.exec_error;
    return outcome;
  }
  const std::string body = R"({"v":1,"type":"ping","id":"temoin-doctor"})";
  std::string frame(4, '\0');
  uint32_t len = static_cast<uint32_t>(body.size());
  for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>((len >> (8 * i)) & 0xff);
  frame += body;
  // The frame is far below the pipe's buffer: one write does it unless the host is already gone.
  (void)!::write(child.in, frame.data(), frame.size());

  std::string out, err;
  bool out_open = true, err_open = true;
  bool done = false;
  while (!done) {
    // A whole frame?
    if (out.size() >= 4) {
      uint32_t n = 0;
      for (int i = 0; i < 4; ++i) n |= static_cast<uint32_t>(static_cast<unsigned char>(out[i])) << (8 * i);
      if (n > (1u << 20) || n == 0) {
        outcome.kind = PingOutcome::Kind::kBadFrame;
        outcome.detail = "its output starts with \"" + Printable(out.substr(0, 24)) + "\", read as a length of " +
                         std::to_string(n) + " bytes";
        done = true;
        break;
      }
      if (out.size() >= 4 + n) {
        outcome.kind = PingOutcome::Kind::kAnswered;
        auto j = nlohmann::json::parse(out.substr(4, n), nullptr, false);
        if (j.is_discarded()) outcome.detail = "the reply is not JSON: " + Printable(out.substr(4, std::min<size_t>(n, 80)));
        else outcome.reply = j;
        done = true;
        break;
      }
    }
    if (!out_open) {
      outcome.kind = PingOutcome::Kind::kExited;
      break;
    }
    auto now = Clock::now();
    if (now >= deadline) {
      outcome.kind = PingOutcome::Kind::kTimedOut;
      break;
    }
    pollfd fds[2] = {{child.out, POLLIN, 0}, {err_open ? child.err : -1, POLLIN, 0}};
    int wait_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
    int r = ::poll(fds, 2, wait_ms);
    if (r < 0 && errno != EINTR) break;
    if (fds[0].revents) out_open = Drain(child.out, &out, (1u << 20) + 8);
    if (err_open && fds[1].revents) err_open = Drain(child.err, &err, 64 * 1024);
  }
  outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  CloseFd(child.in);  // the port closes: the host should exit
  bool ended = child.Reap(outcome.kind == PingOutcome::Kind::kAnswered ? std::chrono::milliseconds(2000)
                                                                       : std::chrono::milliseconds(200));
  if (err_open) Drain(child.err, &err, 64 * 1024);
  outcome.exit_status = ended || outcome.kind == PingOutcome::Kind::kExited ? child.status : -1;
  outcome.stderr_tail = Tail(err, 2048);
  return outcome;
}

RunOutcome RunProgram(const LaunchSpec& spec, std::chrono::milliseconds timeout) {
  IgnoreSigpipe guard;
  RunOutcome outcome;
  const auto deadline = Clock::now() + timeout;
  Child child;
  if (!child.Start(spec)) {
    outcome.detail = child.exec_error;
    return outcome;
  }
  outcome.started = true;
  CloseFd(child.in);
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    auto now = Clock::now();
    if (now >= deadline) {
      outcome.timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_open ? child.out : -1, POLLIN, 0}, {err_open ? child.err : -1, POLLIN, 0}};
    int wait_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
    int r = ::poll(fds, 2, wait_ms);
    if (r < 0 && errno != EINTR) break;
    if (out_open && fds[0].revents) out_open = Drain(child.out, &outcome.out, 1u << 20);
    if (err_open && fds[1].revents) err_open = Drain(child.err, &outcome.err, 64 * 1024);
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  child.Reap(outcome.timed_out ? std::chrono::milliseconds(0) : std::max(left, std::chrono::milliseconds(100)));
  outcome.exit_status = child.status;
  return outcome;
}

}  // namespace temoin::install
