// Helpers shared by the hardening integration tests (tests/integration/hardening_*_test.cc): frames, reading
// the store behind the host's back, checking that the log is whole, and running things as an unprivileged
// user (CI runs as root, and root ignores file modes).
#ifndef TEMOIN_TESTS_INTEGRATION_HARDENING_UTIL_H_
#define TEMOIN_TESTS_INTEGRATION_HARDENING_UTIL_H_

#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "store/database.h"
#include "store/verify.h"
#include "test_support/host_process.h"

namespace temoin::testing::hardening {

using nlohmann::json;
namespace fs = std::filesystem;

inline std::string Frame(const std::string& body) {
  std::uint32_t n = static_cast<std::uint32_t>(body.size());
  std::string f(4, '\0');
  std::memcpy(f.data(), &n, 4);
  return f + body;
}

// A page time `minutes_ago` before now (the host refuses times more than a day ahead; tests must not age).
inline std::string PageTime(int minutes_ago = 60) {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() - std::chrono::minutes(minutes_ago));
  char buffer[32];
  std::tm utc{};
  ::gmtime_r(&t, &utc);  // not gmtime: tests call this from several threads
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

// A valid event of one of several types, on one of three accounts (so several chains grow at once).
inline json VariedEvent(const std::string& id, int n) {
  static const char* kAccounts[] = {"ana@example.org", "P-5f3a", "worker-7"};
  static const char* kPlatforms[] = {"dataannotation", "prolific", "outlier"};
  json fields{{"at", PageTime(1 + n % 600)}, {"account", kAccounts[n % 3]}, {"platform", kPlatforms[n % 3]}};
  switch (n % 5) {
    case 0: return MakeEvent("heartbeat", id, {{"at", fields["at"]}, {"account", fields["account"]},
                                                {"platform", fields["platform"]}, {"tasks_available", n % 50}});
    case 1: {
      json e = MakeEvent("task.start", id, fields);
      e["task_id"] = "t-" + std::to_string(n);
      e["rate"] = {{"amount", "18.00"}, {"currency", "USD"}, {"per", "hour"}};
      return e;
    }
    case 2: {
      json e = MakeEvent("task.submit", id, fields);
      e["task_id"] = "t-" + std::to_string(n - 1);
      e["duration_s"] = 60 + n % 900;
      return e;
    }
    case 3: {
      json e = MakeEvent("balance", id, fields);
      e["amount"] = std::to_string(100 + n) + ".25";
      return e;
    }
    default: return MakeEvent("account.status", id, {{"at", fields["at"]}, {"account", fields["account"]},
                                                     {"platform", fields["platform"]}});
  }
}

// Receives the next reply (skipping alert pushes, which carry a `type` and no `re`).
inline Result<json> NextReply(cli::HostClient& host, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  while (true) {
    auto frame = host.Receive(timeout);
    if (!frame.ok()) return frame;
    if (frame->contains("re")) return frame;
  }
}

inline std::unique_ptr<store::Database> OpenForReading(const fs::path& data_dir) {
  store::OpenOptions options;
  options.busy_timeout_ms = 10000;
  auto db = store::Database::Open(data_dir / "temoin.db", options);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  return std::move(db).value();
}

// How many times each id sent by a caller is in the log. The host's own events (alerts raised or resolved,
// settings: ids "host:...") are chained in the same log and left out here.
inline std::map<std::string, int> IdCounts(store::Database& db) {
  std::map<std::string, int> counts;
  SQLite::Statement q(db.sql(), "SELECT id, COUNT(*) FROM events WHERE id NOT LIKE 'host:%' GROUP BY id");
  while (q.executeStep()) counts[q.getColumn(0).getString()] = q.getColumn(1).getInt();
  return counts;
}

// PRAGMA integrity_check is ok, every chain verifies (in-process, with the store's own code), and the log's
// orders (schema 6) hold every event up to the projection mark, each as the log has it, and none after it.
inline void ExpectStoreIntact(store::Database& db) {
  Status integrity = db.IntegrityCheck();
  EXPECT_TRUE(integrity.ok()) << integrity.ToString();
  auto report = store::VerifyLog(db);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << "broken at seq " << report->broken.front().seq << ": " << report->broken.front().reason;
  SQLite::Statement orders(
      db.sql(),
      "SELECT (SELECT COUNT(*) FROM events WHERE seq <= m.through_seq), "
      "(SELECT COUNT(*) FROM events_of_account o JOIN events e ON e.seq = o.seq AND e.platform = o.platform "
      "AND e.account = o.account AND e.at_ms = o.at_ms WHERE o.seq <= m.through_seq), "
      "(SELECT COUNT(*) FROM events_of_type o JOIN events e ON e.seq = o.seq AND e.type = o.type "
      "AND e.at_ms = o.at_ms WHERE o.seq <= m.through_seq), "
      "(SELECT COUNT(*) FROM events_of_account), (SELECT COUNT(*) FROM events_of_type) FROM projection_mark m");
  ASSERT_TRUE(orders.executeStep());
  const std::int64_t placed = orders.getColumn(0).getInt64();
  EXPECT_EQ(orders.getColumn(1).getInt64(), placed) << "events_of_account against the log up to the mark";
  EXPECT_EQ(orders.getColumn(2).getInt64(), placed) << "events_of_type against the log up to the mark";
  EXPECT_EQ(orders.getColumn(3).getInt64(), placed) << "events_of_account holds nothing after the mark";
  EXPECT_EQ(orders.getColumn(4).getInt64(), placed) << "events_of_type holds nothing after the mark";
}

// `temoin verify` on the data folder exits 0 and says every link holds.
inline void ExpectCliVerifyPasses(const fs::path& data_dir) {
  CliResult r = RunTemoin(data_dir, {"verify"});
  EXPECT_EQ(r.exit_status, 0) << r.out;
  EXPECT_NE(r.out.find("all links verified"), std::string::npos) << r.out;
}

// Every row of every table, as text, for "the database is unchanged" comparisons.
inline std::map<std::string, std::string> Snapshot(store::Database& db) {
  std::map<std::string, std::string> tables;
  SQLite::Statement names(db.sql(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  std::vector<std::string> list;
  while (names.executeStep()) list.push_back(names.getColumn(0).getString());
  for (const auto& table : list) {
    SQLite::Statement rows(db.sql(), "SELECT * FROM \"" + table + "\"");
    std::string text;
    while (rows.executeStep()) {
      for (int c = 0; c < rows.getColumnCount(); ++c) {
        text += rows.getColumn(c).isNull() ? std::string("NULL") : rows.getColumn(c).getString();
        text += '\x1f';
      }
      text += '\n';
    }
    tables[table] = text;
  }
  return tables;
}

inline unsigned Mode(const fs::path& p) {
  struct stat st{};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

// --- running as someone else ------------------------------------------------------------------------------

struct Nobody {
  uid_t uid;
  gid_t gid;
};

// The unprivileged account tests drop to, when they run as root and it exists.
inline std::optional<Nobody> FindNobody() {
  if (::geteuid() != 0) return std::nullopt;
  const passwd* pw = ::getpwnam("nobody");
  if (pw == nullptr) return std::nullopt;
  return Nobody{pw->pw_uid, pw->pw_gid};
}

inline bool HaveSetpriv() { return fs::exists("/usr/bin/setpriv") || fs::exists("/bin/setpriv"); }

inline std::string SetprivPath() { return fs::exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : "/bin/setpriv"; }

// Starts the host as `who` (setpriv drops uid, gid and supplementary groups, then execs the host).
inline std::unique_ptr<cli::HostClient> StartHostAs(const Nobody& who, const fs::path& data_dir) {
  auto host = cli::HostClient::Start(SetprivPath(),
                                     {"--reuid=" + std::to_string(who.uid), "--regid=" + std::to_string(who.gid),
                                      "--clear-groups", "--", TEMOIN_HOST_BIN},
                                     {{"TEMOIN_DATA_DIR", data_dir.string()}, {"HOME", data_dir.string()}});
  if (!host.ok()) {
    ADD_FAILURE() << host.status().ToString();
    return nullptr;
  }
  return std::move(host).value();
}

// Changes the owner of `path` and everything in it.
inline void ChownTree(const fs::path& path, uid_t uid, gid_t gid) {
  ASSERT_EQ(::chown(path.c_str(), uid, gid), 0) << path;
  if (!fs::is_directory(path)) return;
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    ASSERT_EQ(::lchown(entry.path().c_str(), uid, gid), 0) << entry.path();
  }
}

// --- a small tmpfs, for full-disk and read-only-disk tests --------------------------------------------------

class TmpfsMount {
 public:
  // Mounts a tmpfs of `size_bytes` on `point` (created); mounted() says whether it worked (root in CI).
  TmpfsMount(const fs::path& point, std::size_t size_bytes) : point_(point) {
    fs::create_directories(point_);
    std::string options = "size=" + std::to_string(size_bytes) + ",mode=0755";
    if (::mount("tmpfs", point_.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(point_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  const fs::path& point() const { return point_; }

  // Changes the size or the read-only flag in place (open files stay open).
  bool Remount(std::size_t size_bytes, bool read_only = false) {
    std::string options = "size=" + std::to_string(size_bytes);
    return ::mount("tmpfs", point_.c_str(), "tmpfs", MS_REMOUNT | (read_only ? MS_RDONLY : 0), options.c_str()) == 0;
  }

 private:
  fs::path point_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace temoin::testing::hardening

#endif  // TEMOIN_TESTS_INTEGRATION_HARDENING_UTIL_H_
