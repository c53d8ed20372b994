// temoin doctor: checks the install the way the browsers will use it (install/doctor.h), plus what needs the
// store: the log's hash chains verify, and how long ago the last event arrived. Exit 0 only when all is well.
#include <unistd.h>

#include <ctime>
#include <memory>

#include "base/status.h"
#include "cli/commands.h"
#include "install/doctor.h"
#include "install/process.h"
#include "install/target_user.h"
#include "platform/paths.h"
#include "store/database.h"
#include "store/event_log.h"
#include "store/migrations.h"
#include "store/verify.h"

namespace temoin::cli {

namespace fs = std::filesystem;
using install::Check;

namespace {

struct DoctorOptions {
  bool json = false;
  std::vector<std::string> browsers;
  std::string profile;
  int timeout_ms = 1000;
};

// "2026-07-14T08:00:00.000Z" -> epoch ms, or -1.
EpochMs ParseReceivedAt(const std::string& s) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &ms) < 6) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<EpochMs>(::timegm(&tm)) * 1000 + ms;
}

std::string Age(EpochMs ms) {
  EpochMs s = ms / 1000;
  if (s < 120) return std::to_string(s) + " seconds";
  if (s < 2 * 3600) return std::to_string(s / 60) + " minutes";
  if (s < 2 * 86400) return std::to_string(s / 3600) + " hours";
  return std::to_string(s / 86400) + " days";
}

// The log checks, reading the store directly (read-only).
std::vector<Check> StoreChecks(const CliContext& ctx, const fs::path& data_dir) {
  std::vector<Check> out;
  const std::string subject = "the log";
  fs::path db_file = DatabasePath(data_dir);
  std::error_code ec;
  if (!fs::exists(db_file, ec)) {
    out.push_back(Check{subject, "log_chain", Check::Result::kWarn,
                        "no record yet (" + db_file.string() + " does not exist)",
                        "open a platform's page with the extension installed; the host creates the record"});
    // The host creates the database with its first event or query (a ping, such as the doctor's own, no longer
    // does), so a new install has none yet: the report keeps the same checks either way.
    out.push_back(Check{subject, "last_event", Check::Result::kWarn, "no event recorded yet",
                        "open a platform's page with the extension installed"});
    return out;
  }
  store::OpenOptions options;
  options.read_only = true;
  auto db = store::Database::Open(db_file, options);
  if (!db.ok()) {
    out.push_back(Check{subject, "log_chain", Check::Result::kFail, "cannot open the record: " + db.status().message(),
                        "if it says the schema is newer, this temoin is older than the host: update it"});
    return out;
  }
  auto report = store::VerifyLog(**db);
  if (!report.ok()) {
    out.push_back(Check{subject, "log_chain", Check::Result::kFail, "cannot read the log: " + report.status().message(),
                        "run: temoin verify"});
  } else if (!report->ok()) {
    const auto& b = report->broken.front();
    out.push_back(Check{subject, "log_chain", Check::Result::kFail,
                        std::to_string(report->broken.size()) + " chain(s) broken, the first at seq " +
                            std::to_string(b.seq) + " (" + b.platform + "/" + b.account + "): " + b.reason,
                        "the record was altered after it was written. Keep a copy of the database as it is, and "
                        "see: temoin verify"});
  } else {
    out.push_back(Check{subject, "log_chain", Check::Result::kOk,
                        std::to_string(report->events) + " events in " + std::to_string(report->chains.size()) +
                            " chains, all links verified"});
  }
  store::EventLog log(**db);
  auto last = log.LastSeq();
  if (!last.ok() || *last == 0) {
    out.push_back(Check{subject, "last_event", Check::Result::kWarn, "no event recorded yet",
                        "open a platform's page with the extension installed"});
    return out;
  }
  store::EventFilter filter;
  filter.after_seq = *last - 1;
  filter.limit = 1;
  auto events = log.Read(filter);
  EpochMs at = events.ok() && !events->empty() ? ParseReceivedAt(events->front().received_at) : -1;
  if (at < 0) {
    out.push_back(Check{subject, "last_event", Check::Result::kWarn, "cannot read the last event's time", ""});
    return out;
  }
  EpochMs age = ctx.clock.NowMs() - at;
  const EpochMs week = 7LL * 86400 * 1000;
  out.push_back(Check{subject, "last_event", age > week ? Check::Result::kWarn : Check::Result::kOk,
                      "the last event (seq " + std::to_string(*last) + ") arrived " + Age(std::max<EpochMs>(age, 0)) +
                          " ago, at " + events->front().received_at,
                      age > week ? "nothing arrived for a week: is the extension still installed and enabled?" : ""});
  return out;
}

// Under sudo the store belongs to the user: run `temoin verify` as them rather than open it as root.
std::vector<Check> VerifyAsUser(const CliContext& ctx, const install::TargetUser& user,
                                const std::vector<std::string>& env) {
  install::LaunchSpec spec;
  spec.program = fs::absolute(ctx.bin_dir / "temoin");
  spec.args = {"verify"};
  spec.env = env;
  spec.cwd = user.home;
  spec.run_as = std::make_pair(user.uid, user.gid);
  auto r = install::RunProgram(spec, std::chrono::seconds(60));
  std::vector<Check> out;
  if (!r.started || r.timed_out) {
    out.push_back(Check{"the log", "log_chain", Check::Result::kFail,
                        "could not run temoin verify: " + (r.timed_out ? std::string("timed out") : r.detail),
                        "run temoin verify yourself, without sudo"});
  } else {
    out.push_back(Check{"the log", "log_chain", r.exit_status == 0 ? Check::Result::kOk : Check::Result::kFail,
                        "temoin verify exited with " + std::to_string(r.exit_status),
                        r.exit_status == 0 ? "" : "run temoin verify (without sudo) to see what is wrong"});
  }
  out.push_back(Check{"the log", "last_event", Check::Result::kWarn, "not checked under sudo",
                      "run temoin doctor without sudo"});
  return out;
}

int RunDoctor(CliContext& ctx, const DoctorOptions& o) {
  install::SystemUserDatabase users;
  auto user = install::ResolveTargetUser(ctx.env, users, ::geteuid(), ::getegid());
  if (!user.ok()) {
    ctx.err << "temoin doctor: " << user.status().message() << "\n";
    return ExitCodeFor(user.status());
  }
  auto data_dir = install::TargetDataDir(ctx.env, *user);
  if (!data_dir.ok()) {
    ctx.err << "temoin doctor: " << data_dir.status().message() << "\n";
    return ExitCodeFor(data_dir.status());
  }
  install::DoctorOptions d;
  d.request.browsers = o.browsers;
  if (!o.profile.empty()) d.request.profile_dir = fs::absolute(o.profile);
  d.user = *user;
  d.data_dir = *data_dir;
  d.expected_schema = store::LatestSchemaVersion();
  d.ping_timeout = std::chrono::milliseconds(o.timeout_ms);
  std::map<std::string, std::optional<std::string>> changes = {{"TEMOIN_DATA_DIR", data_dir->string()}};
  if (user->via_sudo) {
    changes["HOME"] = user->home.string();
    changes["USER"] = user->name;
    changes["LOGNAME"] = user->name;
    changes["XDG_DATA_HOME"] = std::nullopt;
    changes["XDG_CONFIG_HOME"] = std::nullopt;
  }
  d.child_env = install::EnvironmentWith(changes);
  const fs::path dir = *data_dir;
  if (user->via_sudo) {
    d.extra_checks.push_back([&ctx, u = *user, env = d.child_env] { return VerifyAsUser(ctx, u, env); });
  } else {
    d.extra_checks.push_back([&ctx, dir] { return StoreChecks(ctx, dir); });
  }
  install::DoctorReport report = install::RunDoctor(d);
  if (o.json) {
    ctx.out << report.ToJson().dump(2) << "\n";
  } else {
    ctx.out << report.ToText();
  }
  return report.Healthy() ? kExitOk : kExitProblemFound;
}

}  // namespace

void AddDoctorCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("doctor", "Check that your browsers can reach temoin-host, and say how to fix what "
                                           "is wrong (exit 0 only when all is well)");
  auto o = std::make_shared<DoctorOptions>();
  cmd->add_flag("--json", o->json, "Print the report as JSON (for a support request)");
  cmd->add_option("--browser", o->browsers, "Only this browser (repeatable): " + install::BrowserKeys())
      ->type_name("NAME");
  cmd->add_option("--profile", o->profile, "Check a Chromium-family --user-data-dir instead")->type_name("DIR");
  cmd->add_option("--timeout", o->timeout_ms, "How long the host has to answer a ping, in milliseconds")
      ->check(CLI::Range(50, 60000))
      ->capture_default_str();
  cmd->callback([&ctx, o] { ctx.exit_code = RunDoctor(ctx, *o); });
}

}  // namespace temoin::cli
