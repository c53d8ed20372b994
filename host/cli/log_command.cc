// temoin log: the event log, filtered, one event per line (or JSON lines with --json).
#include "cli/commands.h"
#include "cli/open_store.h"
#include "protocol/decode.h"
#include "protocol/messages.h"
#include "protocol/timestamp.h"
#include "store/event_log.h"

namespace temoin::cli {

namespace {

struct LogOptions {
  std::string platform, account, type, since, until;
  std::int64_t after_seq = 0;
  int limit = 100;
  bool json = false;
};

// Terminal output must not let a page's text move the cursor or clear the screen: control characters are
// shown escaped.
std::string Printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace

void AddLogCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("log", "Show the recorded events, oldest first");
  auto o = std::make_shared<LogOptions>();
  cmd->add_option("--platform", o->platform, "Only this platform");
  cmd->add_option("--account", o->account, "Only this account");
  cmd->add_option("--type", o->type, "Only this event type (task.start, balance, payout...)");
  cmd->add_option("--since", o->since, "Page time from (RFC 3339, inclusive)");
  cmd->add_option("--until", o->until, "Page time until (RFC 3339, exclusive)");
  cmd->add_option("--after-seq", o->after_seq, "Start after this sequence number");
  cmd->add_option("--limit", o->limit, "At most this many events (default 100, 0 for all)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", o->json, "One JSON object per line, with the chain's hashes");
  cmd->callback([&ctx, o] {
    store::EventFilter filter;
    if (!o->platform.empty()) filter.platform = o->platform;
    if (!o->account.empty()) filter.account = o->account;
    if (!o->type.empty()) {
      if (!protocol::EventTypeFromName(o->type)) {
        ctx.exit_code = Fail(ctx, Status(Code::kInvalidArgument, "--type: unknown event type '" + o->type + "'"));
        return;
      }
      filter.type = o->type;
    }
    for (auto [text, target, name] : {std::tuple{&o->since, &filter.since, "--since"},
                                      std::tuple{&o->until, &filter.until, "--until"}}) {
      if (text->empty()) continue;
      auto at = protocol::ParseRfc3339(*text);
      if (!at.ok()) {
        ctx.exit_code = Fail(ctx, Status(Code::kInvalidArgument, std::string(name) + ": " + at.status().message()));
        return;
      }
      *target = *at;
    }
    auto db = OpenStore(ctx);
    if (!db.ok()) {
      ctx.exit_code = Fail(ctx, db.status());
      return;
    }
    store::EventLog log(**db);
    filter.after_seq = o->after_seq;
    int remaining = o->limit == 0 ? INT32_MAX : o->limit;
    while (remaining > 0) {
      filter.limit = std::min(remaining, 1000);
      auto events = log.Read(filter);
      if (!events.ok()) {
        ctx.exit_code = Fail(ctx, events.status());
        return;
      }
      for (const auto& e : *events) {
        if (o->json) {
          nlohmann::json row{{"seq", e.seq}, {"id", e.id}, {"type", e.type}, {"platform", e.platform},
                             {"account", e.account}, {"at", e.at}, {"received_at", e.received_at},
                             {"event", nlohmann::json::parse(e.body, nullptr, false)},
                             {"prev_hash", e.prev_hash}, {"hash", e.hash}};
          ctx.out << row.dump() << "\n";
        } else {
          ctx.out << e.seq << "  " << e.at << "  " << Printable(e.platform) << "/" << Printable(e.account) << "  "
                  << e.type << "  " << Printable(e.body) << "\n";
        }
      }
      if (events->size() < static_cast<std::size_t>(filter.limit)) break;
      remaining -= static_cast<int>(events->size());
      filter.after_seq = events->back().seq;
    }
    ctx.exit_code = kExitOk;
  });
}

}  // namespace temoin::cli
