// host_bench: the figures of issue 9, each beside the two baselines written for the purpose (bench/baselines):
// a bare C host that answers a frame and does nothing else (the floor), and a typical Python host (json +
// struct + sqlite3, one commit per message, synchronous=NORMAL). Benchmarks print; nothing here fails on a time.
//
//   host_bench [--quick] [--only SECTIONS] [--spawns N] [--ingest N] [--window N] [--dataset N] [--queries N]
//              [--work DIR] [--host BIN] [--cli BIN] [--bare BIN] [--python SCRIPT]
//
// SECTIONS is a comma list of: cold, ingest, summary, verify, export, callgrind (default: all).
//   cold      spawn -> first reply, median and p99 over --spawns spawns (default 300), for `ping` and for one
//             event stored durably; each spawn gets fresh pipes, the data folder already holds a database.
//   ingest    --ingest events (default 1,000,000) over one connection with --window (32) frames in flight:
//             frames/s, p50/p99 ack latency (frame written -> its ack read), the host's peak RSS (VmHWM
//             of /proc/PID/status, read before its input is closed), and its CPU time and file system writes
//             per event over its whole life (rusage from wait4).
//   summary   query.summary on the --dataset database (1,000,000 events, 20 accounts, about 3 years; made
//             once by gen_dataset under --work and reused): through the real host over its pipes (database
//             already open, one query in flight) and in this process through store::Summarize.
//   verify    `temoin verify` on the same database, against a Python script doing the same chain check.
//   export    100k tasks: export_bench (bench/export_bench.cc, another engineer's; the export in its own process) if
//             it was built, then `temoin export` of the database it wrote (kept under the work folder), three times.
//   callgrind instruction counts of one cold start (ping), with valgrind --tool=callgrind, if installed.
// --quick: tiny sizes (a few seconds; the ctest smoke run), no export, no callgrind.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "store/database.h"
#include "store/summary.h"
#include "workload.h"

extern char** environ;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using temoin::bench::Workload;

namespace {

double MsSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

struct Stats {
  double median = NAN, p99 = NAN, mean = NAN;
  std::size_t n = 0;
};

Stats Summarise(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * (v.size() - 1) + 0.5))]; };
  s.median = at(0.5);
  s.p99 = at(0.99);
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / v.size();
  s.n = v.size();
  return s;
}

// ---- processes and frames ----

struct Child {
  pid_t pid = -1;
  int to = -1;    // its standard input
  int from = -1;  // its standard output
};

Child Spawn(const std::vector<std::string>& argv, const fs::path& data_dir) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
    std::perror("pipe2");
    std::exit(1);
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "TEMOIN_DATA_DIR=", 16) != 0) env_storage.emplace_back(*e);
  }
  env_storage.push_back("TEMOIN_DATA_DIR=" + data_dir.string());
  std::vector<char*> envp, args;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);
  Child c;
  int rc = posix_spawn(&c.pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    std::fprintf(stderr, "cannot start %s: %s\n", args[0], std::strerror(rc));
    std::exit(1);
  }
  c.to = in[1];
  c.from = out[0];
  return c;
}

// Closes the child's input and waits for it; `usage`, if given, receives its resource use over its whole life.
int Finish(Child& c, rusage* usage = nullptr) {
  if (c.to >= 0) ::close(c.to);
  c.to = -1;
  int status = 0;
  ::wait4(c.pid, &status, 0, usage);  // a null usage is allowed: waitpid's behaviour
  if (c.from >= 0) ::close(c.from);
  c.from = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Frame(const std::string& body) {
  std::uint32_t n = static_cast<std::uint32_t>(body.size());
  std::string f(reinterpret_cast<const char*>(&n), 4);
  return f + body;
}

bool WriteAll(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

bool ReadAll(int fd, char* p, std::size_t n) {
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

std::optional<std::string> ReadFrame(int fd) {
  std::uint32_t n;
  if (!ReadAll(fd, reinterpret_cast<char*>(&n), 4)) return std::nullopt;
  std::string body(n, '\0');
  if (!ReadAll(fd, body.data(), n)) return std::nullopt;
  return body;
}

bool IsOk(const std::string& reply) { return reply.find("\"ok\":true") != std::string::npos; }

long VmHwmKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// ---- the hosts under test ----

struct Host {
  std::string name;
  std::vector<std::string> argv;
  bool stores = true;  // false for the bare host (it answers, nothing more)
};

std::string Ping(const std::string& id) { return R"({"v":1,"type":"ping","id":")" + id + "\"}"; }

std::string Heartbeat(const std::string& id) {
  return R"({"v":1,"type":"heartbeat","id":")" + id +
         R"(","platform":"dataannotation","account":"ana@example.org","at":")" +
         temoin::bench::FormatUtcMs(temoin::SystemClock().NowMs()) + R"(","tasks_available":3,"focused":true})";
}

fs::path FreshDir(const fs::path& work, const std::string& name) {
  fs::path dir = work / name;
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  return dir;
}

// Spawn -> first reply, `n` times, with a new request id each time.
std::vector<double> ColdStarts(const Host& host, const fs::path& data_dir, int n,
                               const std::function<std::string(int)>& message, int* failures) {
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) {
    std::string frame = Frame(message(i));
    auto t0 = Clock::now();
    Child c = Spawn(host.argv, data_dir);
    bool ok = WriteAll(c.to, frame);
    auto reply = ok ? ReadFrame(c.from) : std::nullopt;
    double t = MsSince(t0);
    int exit_status = Finish(c);
    if (!reply || !IsOk(*reply) || exit_status != 0) {
      ++*failures;
      continue;
    }
    ms.push_back(t);
  }
  return ms;
}

struct IngestResult {
  double frames_per_s = NAN;
  Stats ack_ms;
  long vm_hwm_kb = -1;
  // The host's CPU time (user + system) and its writes to the file system (rusage's blocks of 512 bytes: the
  // WAL, the checkpoints' copies, the kernel's share) over its whole life, per event. Less noisy than the rate on
  // a shared machine: what a change to the host's work is judged by when frames/s cannot tell.
  double cpu_us_per_event = NAN;
  double system_us_per_event = NAN;  // the kernel's part of it: writes, syncs, page reads
  double kb_written_per_event = NAN;
  long errors = 0;
  double seconds = NAN;
};

// `events` frames over one connection, at most `window` in flight; every reply must be ok.
IngestResult Ingest(const Host& host, const fs::path& data_dir, long events, int window) {
  IngestResult r;
  temoin::EpochMs now = temoin::SystemClock().NowMs();
  Workload workload(events, Workload::kAccounts, Workload::kDays, now - 60'000,
                    /*id_seed=*/static_cast<std::uint64_t>(::getpid()));
  Child c = Spawn(host.argv, data_dir);
  ::fcntl(c.to, F_SETFL, ::fcntl(c.to, F_GETFL) | O_NONBLOCK);
  std::deque<Clock::time_point> sent;  // write time of each frame in flight
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(events));
  std::string out;         // bytes of the frame being written
  std::size_t out_off = 0;
  std::string in;          // reply bytes not yet parsed
  std::vector<char> buf(1 << 16);
  long acked = 0;
  auto t0 = Clock::now();
  while (acked < events) {
    // Queue the next frame while the window has room.
    if (out_off == out.size() && static_cast<int>(sent.size()) < window && !workload.Done()) {
      out = Frame(workload.Next());
      out_off = 0;
    }
    pollfd fds[2] = {{c.from, POLLIN, 0}, {c.to, static_cast<short>(out_off < out.size() ? POLLOUT : 0), 0}};
    if (::poll(fds, 2, 10'000) <= 0) {
      std::fprintf(stderr, "%s: no progress for 10 s (%ld acked)\n", host.name.c_str(), acked);
      break;
    }
    if (fds[1].revents & (POLLOUT | POLLERR)) {
      ssize_t n = ::write(c.to, out.data() + out_off, out.size() - out_off);
      if (n > 0) {
        out_off += static_cast<std::size_t>(n);
        if (out_off == out.size()) sent.push_back(Clock::now());
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        std::fprintf(stderr, "%s: write failed: %s\n", host.name.c_str(), std::strerror(errno));
        break;
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = ::read(c.from, buf.data(), buf.size());
      if (n <= 0) {
        std::fprintf(stderr, "%s: the host closed its output (%ld acked)\n", host.name.c_str(), acked);
        break;
      }
      in.append(buf.data(), static_cast<std::size_t>(n));
      std::size_t pos = 0;
      auto now_t = Clock::now();
      while (in.size() - pos >= 4) {
        std::uint32_t len;
        std::memcpy(&len, in.data() + pos, 4);
        if (in.size() - pos - 4 < len) break;
        std::string_view body(in.data() + pos + 4, len);
        pos += 4 + len;
        if (body.find("\"re\":") == std::string_view::npos) continue;  // a push, not a reply
        if (sent.empty()) {
          ++r.errors;
          continue;
        }
        latencies.push_back(std::chrono::duration<double, std::milli>(now_t - sent.front()).count());
        sent.pop_front();
        if (body.find("\"ok\":true") == std::string_view::npos) ++r.errors;
        ++acked;
      }
      in.erase(0, pos);
    }
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.frames_per_s = acked / r.seconds;
  r.vm_hwm_kb = VmHwmKb(c.pid);
  r.ack_ms = Summarise(std::move(latencies));
  rusage usage{};
  Finish(c, &usage);
  if (acked > 0) {
    const double cpu_s = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    r.cpu_us_per_event = cpu_s * 1e6 / acked;
    r.system_us_per_event = (usage.ru_stime.tv_sec * 1e6 + usage.ru_stime.tv_usec) / acked;
    r.kb_written_per_event = usage.ru_oublock * 512.0 / 1000.0 / acked;
  }
  return r;
}

// One query in flight at a time over a host that has already opened its database (a first query, not
// measured, opens it: a ping does not).
std::vector<double> QueriesOverPipe(const Host& host, const fs::path& data_dir, int n, const std::string& type) {
  std::vector<double> ms;
  Child c = Spawn(host.argv, data_dir);
  WriteAll(c.to, Frame(R"({"v":1,"type":")" + type + R"(","id":"warm"})"));
  if (!ReadFrame(c.from)) {
    Finish(c);
    return ms;
  }
  for (int i = 0; i < n; ++i) {
    std::string frame = Frame(R"({"v":1,"type":")" + type + R"(","id":"q)" + std::to_string(i) + "\"}");
    auto t0 = Clock::now();
    WriteAll(c.to, frame);
    auto reply = ReadFrame(c.from);
    double t = MsSince(t0);
    if (!reply || !IsOk(*reply)) {
      std::fprintf(stderr, "%s: %s failed: %s\n", host.name.c_str(), type.c_str(),
                   reply ? reply->substr(0, 300).c_str() : "(no reply)");
      break;
    }
    ms.push_back(t);
  }
  Finish(c);
  return ms;
}

// Runs a program to its end with standard output thrown away; wall time in ms, or NAN if it failed.
double RunTimed(const std::vector<std::string>& argv, const fs::path& data_dir, std::string* output = nullptr) {
  auto t0 = Clock::now();
  Child c = Spawn(argv, data_dir);
  ::close(c.to);
  c.to = -1;
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(c.from, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  int status = Finish(c);
  double t = MsSince(t0);
  if (output) *output = text;
  if (status != 0) {
    std::fprintf(stderr, "%s exited with %d: %s\n", argv[0].c_str(), status, text.substr(0, 400).c_str());
    return NAN;
  }
  return t;
}

// ---- the report ----

struct Row {
  std::string measure;
  double ours, bare, python;
  std::string unit;
  std::string goal;
  int met;  // 1 met, 0 missed, -1 no goal
};

std::vector<Row> g_rows;

void Add(std::string measure, double ours, double bare, double python, std::string unit, std::string goal = "",
         int met = -1) {
  g_rows.push_back({std::move(measure), ours, bare, python, std::move(unit), std::move(goal), met});
}

std::string Num(double v) {
  if (std::isnan(v)) return "-";
  char buf[32];
  if (std::fabs(v) >= 1000) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (std::fabs(v) >= 10) std::snprintf(buf, sizeof buf, "%.1f", v);
  else std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string Ratio(double a, double b) {
  if (std::isnan(a) || std::isnan(b) || b == 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fx", a / b);
  return buf;
}

void PrintReport() {
  std::printf("\n%-44s %12s %12s %12s %-8s %9s %9s  %-22s %s\n", "measure", "temoin-host", "bare C", "Python", "unit",
              "vs bare", "vs Python", "goal", "met?");
  for (const Row& r : g_rows) {
    std::printf("%-44s %12s %12s %12s %-8s %9s %9s  %-22s %s\n", r.measure.c_str(), Num(r.ours).c_str(),
                Num(r.bare).c_str(), Num(r.python).c_str(), r.unit.c_str(), Ratio(r.ours, r.bare).c_str(),
                Ratio(r.ours, r.python).c_str(), r.goal.c_str(), r.met < 0 ? "" : (r.met ? "yes" : "NO"));
  }
}

bool Has(const std::string& only, const char* section) {
  if (only.empty()) return true;
  std::stringstream ss(only);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item == section) return true;
  }
  return false;
}

long long CallgrindInstructions(const std::vector<std::string>& argv, const fs::path& data_dir, const fs::path& out,
                                const std::string& message) {
  std::vector<std::string> cmd = {"/usr/bin/valgrind", "--tool=callgrind", "--callgrind-out-file=" + out.string()};
  cmd.insert(cmd.end(), argv.begin(), argv.end());
  Child c = Spawn(cmd, data_dir);
  WriteAll(c.to, Frame(message));
  auto reply = ReadFrame(c.from);
  Finish(c);
  if (!reply) return -1;
  std::ifstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("totals:", 0) == 0 || line.rfind("summary:", 0) == 0) return std::stoll(line.substr(line.find(':') + 1));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  fs::path self_dir = fs::canonical("/proc/self/exe").parent_path();
  bool quick = false;
  std::string only;
  int spawns = 300, window = 32, queries = 200;
  long ingest_events = 1'000'000, dataset_events = 1'000'000;
  fs::path work = fs::current_path() / "bench-data";
  std::string host_bin = (self_dir / "temoin-host").string(), cli_bin = (self_dir / "temoin").string();
  std::string bare_bin = (self_dir / "bare_host").string();
  std::string python_script = std::string(TEMOIN_BENCH_SOURCE_DIR) + "/baselines/python_host.py";
  std::string python_verify = std::string(TEMOIN_BENCH_SOURCE_DIR) + "/baselines/python_verify.py";
  bool spawns_set = false, ingest_set = false, dataset_set = false, queries_set = false;
  for (int i = 1; i < argc; ++i) {
    auto arg = [&](const char* name) { return !std::strcmp(argv[i], name) && i + 1 < argc; };
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (arg("--only")) only = argv[++i];
    else if (arg("--spawns")) spawns = std::stoi(argv[++i]), spawns_set = true;
    else if (arg("--ingest")) ingest_events = std::stol(argv[++i]), ingest_set = true;
    else if (arg("--window")) window = std::stoi(argv[++i]);
    else if (arg("--dataset")) dataset_events = std::stol(argv[++i]), dataset_set = true;
    else if (arg("--queries")) queries = std::stoi(argv[++i]), queries_set = true;
    else if (arg("--work")) work = argv[++i];
    else if (arg("--host")) host_bin = argv[++i];
    else if (arg("--cli")) cli_bin = argv[++i];
    else if (arg("--bare")) bare_bin = argv[++i];
    else if (arg("--python")) python_script = argv[++i];
    else {
      std::fprintf(stderr, "usage: host_bench [--quick] [--only cold,ingest,summary,verify,export,callgrind] "
                           "[--spawns N] [--ingest N] [--window N] [--dataset N] [--queries N] [--work DIR] "
                           "[--host BIN] [--cli BIN] [--bare BIN] [--python SCRIPT]\n");
      return 64;
    }
  }
  if (quick) {
    if (!spawns_set) spawns = 3;
    if (!ingest_set) ingest_events = 300;
    if (!dataset_set) dataset_events = 1000;
    if (!queries_set) queries = 10;
    if (only.empty()) only = "cold,ingest,summary,verify";
  }
  fs::create_directories(work);
  work = fs::canonical(work);

  Host ours{"temoin-host", {host_bin}, true};
  Host bare{"bare C", {bare_bin}, false};
  // The interpreter itself, not a wrapper such as pyenv's shim (a bash script that adds ~0.4 s to every start).
  std::string python_bin = "python3";
  if (FILE* p = ::popen("python3 -c 'import sys; print(sys.executable)' 2>/dev/null", "r")) {
    char buf[4096] = {0};
    if (std::fgets(buf, sizeof buf, p)) {
      python_bin = buf;
      while (!python_bin.empty() && (python_bin.back() == '\n' || python_bin.back() == '\r')) python_bin.pop_back();
    }
    ::pclose(p);
  }
  Host python{"Python", {python_bin, python_script}, true};
  std::printf("host_bench: %s%s; work folder %s; %ld online CPUs; load average:", quick ? "quick run" : "full run",
              only.empty() ? "" : (" (" + only + ")").c_str(), work.c_str(), ::sysconf(_SC_NPROCESSORS_ONLN));
  {
    std::ifstream load("/proc/loadavg");
    std::string l;
    std::getline(load, l);
    std::printf(" %s\n", l.c_str());
  }
  std::fflush(stdout);

  if (Has(only, "cold")) {
    int fail = 0;
    for (int kind = 0; kind < 2; ++kind) {
      Stats s[3];
      Host* hosts[3] = {&ours, &bare, &python};
      for (int h = 0; h < 3; ++h) {
        fs::path dir = FreshDir(work, "cold-" + std::to_string(h));
        // A first start creates the database: the measured starts find one, as every start after install does.
        // An event, since a ping no longer opens (nor creates) the database.
        int warm_fail = 0;
        ColdStarts(*hosts[h], dir, 1, [](int) { return Heartbeat("warm-" + std::to_string(::getpid())); }, &warm_fail);
        std::string prefix = "c" + std::to_string(::getpid()) + "-" + std::to_string(kind) + "-";
        auto ms = ColdStarts(*hosts[h], dir, spawns,
                             [&](int i) { return kind == 0 ? Ping(prefix + std::to_string(i)) : Heartbeat(prefix + std::to_string(i)); },
                             &fail);
        s[h] = Summarise(ms);
      }
      const char* what = kind == 0 ? "cold start, ping" : "cold start, one durable event";
      Add(std::string(what) + ": median", s[0].median, s[1].median, s[2].median, "ms",
          kind == 0 ? "<= 2x bare C" : "<= 3 ms",
          kind == 0 ? s[0].median <= 2 * s[1].median : s[0].median <= 3.0);
      Add(std::string(what) + ": p99", s[0].p99, s[1].p99, s[2].p99, "ms");
      std::printf("  %s: %zu/%zu/%zu spawns measured\n", what, s[0].n, s[1].n, s[2].n);
    }
    if (fail) std::printf("  cold start: %d spawns failed (no ok reply or non-zero exit)\n", fail);
    std::fflush(stdout);
  }

  if (Has(only, "ingest")) {
    IngestResult r[3];
    Host* hosts[3] = {&ours, &bare, &python};
    for (int h = 0; h < 3; ++h) {
      fs::path dir = FreshDir(work, "ingest-" + std::to_string(h));
      r[h] = Ingest(*hosts[h], dir, ingest_events, window);
      std::printf("  ingest %s: %ld events in %.1f s, %ld errors\n", hosts[h]->name.c_str(), ingest_events,
                  r[h].seconds, r[h].errors);
      std::fflush(stdout);
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
    std::string n = ingest_events >= 1000 ? std::to_string(ingest_events / 1000) + "k" : std::to_string(ingest_events);
    Add("ingest (window " + std::to_string(window) + ", " + n + " events): frames/s", r[0].frames_per_s,
        r[1].frames_per_s, r[2].frames_per_s, "frames/s", ">= 40000", r[0].frames_per_s >= 40000);
    Add("ingest: ack latency p50", r[0].ack_ms.median, r[1].ack_ms.median, r[2].ack_ms.median, "ms");
    Add("ingest: ack latency p99", r[0].ack_ms.p99, r[1].ack_ms.p99, r[2].ack_ms.p99, "ms");
    Add("ingest: host CPU (user + system) per event", r[0].cpu_us_per_event, r[1].cpu_us_per_event,
        r[2].cpu_us_per_event, "us");
    Add("ingest: of which system per event", r[0].system_us_per_event, r[1].system_us_per_event,
        r[2].system_us_per_event, "us");
    Add("ingest: written to the file system per event", r[0].kb_written_per_event, r[1].kb_written_per_event,
        r[2].kb_written_per_event, "KB");
    Add("peak RSS (VmHWM) after " + n + " events", r[0].vm_hwm_kb / 1024.0, r[1].vm_hwm_kb / 1024.0,
        r[2].vm_hwm_kb / 1024.0, "MiB", "<= 8 MiB", r[0].vm_hwm_kb <= 8 * 1024);
  }

  fs::path dataset = work / ("dataset-" + std::to_string(dataset_events));
  if (Has(only, "summary") || Has(only, "verify")) {
    if (!fs::exists(dataset / "temoin.db")) {
      std::printf("  generating the %ld-event data set in %s ...\n", dataset_events, dataset.c_str());
      std::fflush(stdout);
      std::error_code ec;
      fs::remove_all(dataset, ec);
      double t = RunTimed({(self_dir / "gen_dataset").string(), "--out", dataset.string(), "--events",
                           std::to_string(dataset_events)},
                          dataset);
      std::printf("  generated in %.1f s\n", t / 1000);
    }
  }
  std::string n_ds = dataset_events >= 1'000'000 ? std::to_string(dataset_events / 1'000'000) + "M"
                     : dataset_events >= 1000     ? std::to_string(dataset_events / 1000) + "k"
                                                  : std::to_string(dataset_events);

  if (Has(only, "summary")) {
    Stats pipe_ours = Summarise(QueriesOverPipe(ours, dataset, queries, "query.summary"));
    Stats pipe_bare = Summarise(QueriesOverPipe(bare, dataset, queries, "query.summary"));
    std::vector<double> in_process;
    {
      auto db = temoin::store::Database::Open(dataset / "temoin.db");
      if (db.ok()) {
        temoin::SystemClock clock;
        std::size_t rows = 0;
        for (int i = 0; i < queries; ++i) {
          auto t0 = Clock::now();
          auto result = temoin::store::Summarize(**db, clock);
          in_process.push_back(MsSince(t0));
          if (result.ok()) rows = result->size();
        }
        std::printf("  query.summary: %zu rows\n", rows);
      } else {
        std::fprintf(stderr, "cannot open %s: %s\n", dataset.c_str(), db.status().ToString().c_str());
      }
    }
    Stats inproc = Summarise(std::move(in_process));
    Add("query.summary on " + n_ds + ", over pipes: median", pipe_ours.median, pipe_bare.median, NAN, "ms", "<= 1 ms",
        pipe_ours.median <= 1.0);
    Add("query.summary on " + n_ds + ", over pipes: p99", pipe_ours.p99, pipe_bare.p99, NAN, "ms");
    Add("query.summary on " + n_ds + ", in process: median", inproc.median, NAN, NAN, "ms", "<= 1 ms",
        inproc.median <= 1.0);
    Add("query.summary on " + n_ds + ", in process: p99", inproc.p99, NAN, NAN, "ms");
  }

  if (Has(only, "verify")) {
    std::vector<double> ours_ms, py_ms;
    int runs = quick ? 1 : 3;
    for (int i = 0; i < runs; ++i) {
      ours_ms.push_back(RunTimed({cli_bin, "verify"}, dataset));
      py_ms.push_back(RunTimed({python.argv[0], python_verify, (dataset / "temoin.db").string()}, dataset));
    }
    double o = Summarise(ours_ms).median, p = Summarise(py_ms).median;
    Add("temoin verify on " + n_ds + " events", o / 1000, NAN, p / 1000, "s", "<= 2 s", o <= 2000);
  }

  if (Has(only, "export")) {
    fs::path exporter = self_dir / "export_bench";
    if (fs::exists(exporter)) {
      // The database is written once and kept, as the data set is: the command below opens it as a worker's.
      fs::path store = work / "export-100k";
      fs::create_directories(store);
      std::string text;
      double t =
          RunTimed({exporter.string(), "--tasks", "100000", "--db", (store / "temoin.db").string()}, work, &text);
      std::printf("  export_bench (100k tasks; generation, when the database was missing, included in the wall time "
                  "%.1f s):\n%s", t / 1000, text.c_str());
      double secs = NAN;
      auto p = text.find("events: ");
      if (p != std::string::npos) secs = std::atof(text.c_str() + p + 8);
      Add("export of 100k tasks, in process", secs, NAN, NAN, "s", "<= 2 s", !std::isnan(secs) && secs <= 2);
      double command_ms = NAN;
      std::error_code ignored;
      if (std::isnan(t)) {
        // export_bench reuses any database it finds: one its failed generation left half-written must not be, and
        // the command is not timed on it (it would create an empty database there).
        fs::remove_all(store, ignored);
      } else {
        // The command a worker runs: its process start, the store's open and catch-up, the dossier written.
        fs::path out = FreshDir(work, "export-out");
        std::vector<std::string> command = {cli_bin, "export", "--account", "dataannotation/ana@example.org",
                                            "--out", out.string(), "--force"};
        std::vector<double> ms;
        for (int i = 0; i < 3; ++i) ms.push_back(RunTimed(command, store));
        fs::remove_all(out, ignored);  // 170 MB of dossier, only written to be timed
        command_ms = Summarise(ms).median;
      }
      Add("temoin export of 100k tasks", command_ms / 1000, NAN, NAN, "s", "<= 2 s", command_ms <= 2000);
    } else {
      std::printf("  export: export_bench was not built; skipped\n");
    }
  }

  if (Has(only, "callgrind")) {
    if (fs::exists("/usr/bin/valgrind")) {
      fs::path dir = FreshDir(work, "callgrind");
      std::string pid = std::to_string(::getpid());
      int warm_fail = 0;
      ColdStarts(ours, dir, 1, [](int) { return Heartbeat("warm-" + std::to_string(::getpid())); }, &warm_fail);
      long long o = CallgrindInstructions(ours.argv, dir, dir / "ours-ping.out", Ping("cg1"));
      long long oe = CallgrindInstructions(ours.argv, dir, dir / "ours-event.out", Heartbeat("cg-" + pid));
      long long b = CallgrindInstructions(bare.argv, dir, dir / "bare.out", Ping("cg"));
      long long p = CallgrindInstructions(python.argv, dir, dir / "python.out", Ping("cg"));
      Add("callgrind: instructions, cold start (ping)", o / 1e6, b / 1e6, p / 1e6, "M instr");
      Add("callgrind: instructions, cold start (event)", oe / 1e6, NAN, NAN, "M instr");
      std::printf("  callgrind profiles kept in %s (callgrind_annotate FILE)\n", dir.c_str());
    } else {
      std::printf("  callgrind: valgrind is not installed; skipped\n");
    }
  }

  PrintReport();
  return 0;
}
