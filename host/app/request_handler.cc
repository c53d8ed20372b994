#include "app/request_handler.h"

#include "protocol/decode.h"
#include "protocol/money.h"
#include "protocol/reply.h"
#include "protocol/timestamp.h"
#include "store/event_log.h"
#include "store/migrations.h"
#include "store/summary.h"
#include "protocol/extension_identity.h"
#include "rules/alert_service.h"
#include "rules/log_follower.h"
#include "export/dossier_service.h"

namespace temoin::app {

using nlohmann::json;

namespace {

// Replies stay under the 1 MiB a browser accepts: a page of events stops short of this.
constexpr std::size_t kReplyBudgetBytes = protocol::kMaxReplyBytes - 64 * 1024;

// What replaces a reply over the 1 MiB a browser accepts. Should not happen (queries page themselves), but an
// oversized reply would kill the port.
json OversizedReply(const std::optional<std::string>& re) {
  return protocol::ErrorReply(re, Status(Code::kBadMessage, "the answer would exceed 1 MiB; ask for a smaller page"));
}

json LoggedEventToJson(const store::LoggedEvent& e) {
  return json{{"seq", e.seq},
              {"id", e.id},
              {"type", e.type},
              {"platform", e.platform},
              {"account", e.account},
              {"at", e.at},
              {"received_at", e.received_at},
              {"event", json::parse(e.body, nullptr, false)},
              {"prev_hash", e.prev_hash},
              {"hash", e.hash}};
}

}  // namespace

RequestHandler::RequestHandler(LazyStore& store, const Clock& clock, bool caller_allowed)
    : store_(store), clock_(clock), caller_allowed_(caller_allowed) {}

BatchOutput RequestHandler::HandleBatch(std::vector<protocol::FrameEvent> frames) {
  BatchOutput out;
  std::vector<std::optional<Reply>> replies(frames.size());
  // Alerts raised by the catch-up before a query are written just before its reply (after the acks of the
  // events that raised them), so that what the query reads never runs ahead of what was pushed; those of an
  // alert.ack or a config.set follow the batch's replies.
  std::vector<std::vector<json>> pushes_before(frames.size());
  std::vector<json> pushes;
  std::vector<Pending> pending;
  pending.reserve(frames.size());  // an Event moved at every growth was 1 % of the ingest's instructions

  for (std::size_t i = 0; i < frames.size(); ++i) {
    protocol::FrameEvent& frame = frames[i];
    if (frame.kind != protocol::FrameEvent::Kind::kFrame) {
      replies[i] = protocol::ErrorReply(
          std::nullopt, Status(Code::kFrameTooLarge, "a message is limited to 1 MiB; this one announced " +
                                                         std::to_string(frame.declared_length) + " bytes"));
      if (frame.kind == protocol::FrameEvent::Kind::kOutOfStep) {
        out.end_stream = true;
        replies.resize(i + 1);
        break;
      }
      continue;
    }
    protocol::DecodeOutcome decoded = protocol::DecodeRequest(frame.body, clock_.NowMs());
    if (!decoded.status.ok()) {
      replies[i] = protocol::ErrorReply(decoded.re, decoded.status);
      continue;
    }
    if (!caller_allowed_) {
      replies[i] = protocol::ErrorReply(decoded.re, Status(Code::kForbidden, "this extension is not allowed to use "
                                                                             "the Témoin host (see temoin doctor)"));
      continue;
    }
    protocol::Request& request = *decoded.request;
    // Only a ping answers without the store; it still reports an open that failed, as every request did when
    // the store was opened at start.
    Status store_status = std::holds_alternative<protocol::Ping>(request.body) ? store_.status() : store_.Open();
    if (!store_status.ok()) {
      replies[i] = protocol::ErrorReply(decoded.re, store_status);
      continue;
    }
    if (auto* event = std::get_if<protocol::Event>(&request.body)) {
      pending.push_back({i, std::move(*event), request.id});
      continue;
    }
    FlushEvents(pending, replies);
    if (!std::holds_alternative<protocol::Ping>(request.body)) {
      // What a query reads of the derived tables and the alerts includes every event logged before it.
      Status caught_up = FollowLog(&pushes_before[i]);
      if (!caught_up.ok()) {
        replies[i] = protocol::ErrorReply(decoded.re, caught_up);
        continue;
      }
    }
    replies[i] = HandleQuery(request, pushes);
  }
  FlushEvents(pending, replies);

  for (std::size_t i = 0; i < replies.size(); ++i) {
    for (const auto& push : pushes_before[i]) out.frames.push_back(protocol::Serialize(push));
    auto& reply = replies[i];
    if (!reply) continue;
    if (auto* text = std::get_if<std::string>(&*reply)) {
      out.frames.push_back(std::move(*text));  // summaries (kept under the limit) and event acks
      continue;
    }
    const json& value = std::get<json>(*reply);
    std::string text = protocol::Serialize(value);
    if (text.size() > protocol::kMaxReplyBytes) {
      text = protocol::Serialize(OversizedReply(
          value["re"].is_string() ? std::optional<std::string>(value["re"].get<std::string>()) : std::nullopt));
    }
    out.frames.push_back(std::move(text));
  }
  for (const auto& push : pushes) out.frames.push_back(protocol::Serialize(push));
  return out;
}

void RequestHandler::FlushEvents(std::vector<Pending>& pending, std::vector<std::optional<Reply>>& replies) {
  if (pending.empty()) return;
  store::Database* db = store_.db();  // open: every pending event passed Open()
  auto refuse_all = [&](const Status& why) {
    for (const auto& p : pending) replies[p.index] = protocol::ErrorReply(p.re, why);
    pending.clear();
  };
  Status begin = db->Begin();
  if (!begin.ok()) return refuse_all(begin);
  // Optimistically the whole run at once: a savepoint per event cost a copy of every page it touched (7% of
  // the ingest, docs/performance.md), and events almost never fail. If one does, the run is rolled back and
  // done again with a savepoint per event, so that only the failing events are refused.
  EventRun run;
  EpochMs received = clock_.NowMs();
  if (!StoreEvents(pending, received, /*isolate=*/false, &run)) {
    db->Rollback();
    run = EventRun{};
    begin = db->Begin();
    if (!begin.ok()) return refuse_all(begin);
    StoreEvents(pending, received, /*isolate=*/true, &run);
  }
  Status commit = db->Commit();
  for (std::size_t k = 0; k < pending.size(); ++k) {
    EventRun::Answer& answer = run.answers[k];
    replies[pending[k].index] = answer.stored && !commit.ok() ? Reply(protocol::ErrorReply(pending[k].re, commit))
                                                              : std::move(answer.reply);
  }
  if (commit.ok()) {
    events_stored_ += static_cast<std::int64_t>(run.appended.size());
    for (const auto& [k, seq] : run.appended) store_.follower()->Remember(seq, std::move(pending[k].event));
  }
  pending.clear();
}

bool RequestHandler::StoreEvents(const std::vector<Pending>& pending, EpochMs received, bool isolate,
                                 EventRun* run) {
  store::Database& db = *store_.db();
  store::EventLog log(db);
  for (std::size_t k = 0; k < pending.size(); ++k) {
    const Pending& p = pending[k];
    Status status = isolate ? db.Savepoint("event") : Status::Ok();
    std::string ack;
    std::optional<std::int64_t> added;
    if (status.ok()) {
      store::NewEvent row{p.event.id, std::string(protocol::EventTypeName(p.event.type)), p.event.platform,
                          p.event.account, p.event.at_text, p.event.at, p.event.canonical};
      auto appended = log.Append(row, received);
      if (!appended.ok()) {
        status = appended.status();
      } else {
        if (!appended->duplicate) added = appended->seq;
        ack = protocol::EventAckText(p.re, appended->seq, appended->duplicate);
      }
    }
    if (status.ok() && isolate) status = db.Release("event");
    if (!status.ok()) {
      if (!isolate) return false;
      db.RollbackTo("event");
      run->answers.push_back({false, protocol::ErrorReply(p.re, status)});
      continue;
    }
    if (added) run->appended.push_back({k, *added});
    run->answers.push_back({true, std::move(ack)});
  }
  return true;
}

Status RequestHandler::FollowLog(std::vector<json>* pushes) {
  rules::LogFollower* follower = store_.follower();
  if (follower == nullptr) return Status::Ok();  // the store is not open: nothing was stored
  return follower->CatchUp(pushes);
}

Status RequestHandler::CatchUp(std::vector<std::string>* frames) {
  std::vector<json> pushes;
  Status status = FollowLog(&pushes);
  for (const auto& push : pushes) frames->push_back(protocol::Serialize(push));
  return status;
}

store::WalSyncDeferral* RequestHandler::wal_sync_deferral() {
  store::Database* db = store_.db();
  return db == nullptr ? nullptr : db->wal_sync_deferral();
}

std::size_t RequestHandler::unprojected() const {
  const rules::LogFollower* follower = store_.follower();
  return follower == nullptr ? 0 : follower->remembered();
}

RequestHandler::Reply RequestHandler::AnswerSummary(const protocol::Request& request,
                                                    const protocol::SummaryQuery& q) {
  auto rows = store::Summarize(*store_.db(), clock_, q.platform, q.account);
  if (!rows.ok()) return protocol::ErrorReply(request.id, rows.status());
  // Written as text: building it as JSON values first cost a quarter of the query (docs/performance.md).
  std::string fields = "\"accounts\":[";
  for (std::size_t i = 0; i < rows->size(); ++i) {
    if (i > 0) fields += ',';
    store::AppendSummaryJson(&fields, (*rows)[i]);
  }
  fields += "],\"generated_at\":";
  protocol::AppendJsonString(&fields, protocol::FormatUtc(clock_.NowMs()));
  std::string text = protocol::OkReplyText(request.id, fields);
  if (text.size() > protocol::kMaxReplyBytes) return OversizedReply(request.id);
  return text;
}

RequestHandler::Reply RequestHandler::HandleQuery(const protocol::Request& request, std::vector<json>& pushes) {
  const std::string& re = request.id;
  if (std::holds_alternative<protocol::Ping>(request.body)) {
    json reply = protocol::OkReply(re);
    reply["version"] = std::string(protocol::HostVersion());
    // The schema this host writes: an open store is always at it (Open migrates, and refuses a newer one).
    reply["schema"] = store::LatestSchemaVersion();
    return reply;
  }
  store::Database& db = *store_.db();  // open: HandleBatch opened it for every request but a ping
  if (auto* q = std::get_if<protocol::SummaryQuery>(&request.body)) return AnswerSummary(request, *q);
  if (auto* q = std::get_if<protocol::BalanceHistoryQuery>(&request.body)) {
    auto points = store::BalanceHistory(db, clock_, q->platform, q->account, q->currency, q->days);
    if (!points.ok()) return protocol::ErrorReply(re, points.status());
    int exponent = protocol::CurrencyExponent(q->currency).value_or(2);
    json reply = protocol::OkReply(re);
    json list = json::array();
    for (const auto& p : *points) {
      list.push_back({{"day", p.day}, {"balance", protocol::FormatAmount(p.balance_minor, exponent)}, {"at", p.at}});
    }
    reply["points"] = std::move(list);
    return reply;
  }
  if (auto* q = std::get_if<protocol::EventsQuery>(&request.body)) {
    store::EventFilter filter{q->platform, q->account, q->type, q->since, q->until, q->after_seq, q->limit + 1};
    store::EventLog log(db);
    auto events = log.Read(filter);
    if (!events.ok()) return protocol::ErrorReply(re, events.status());
    json reply = protocol::OkReply(re);
    json list = json::array();
    std::size_t size = 256;
    std::optional<std::int64_t> next;
    for (std::size_t i = 0; i < events->size(); ++i) {
      if (static_cast<int>(i) == q->limit) {
        next = (*events)[i - 1].seq;
        break;
      }
      json item = LoggedEventToJson((*events)[i]);
      std::size_t item_size = item.dump().size() + 1;
      if (size + item_size > kReplyBudgetBytes && !list.empty()) {
        next = (*events)[i - 1].seq;
        break;
      }
      size += item_size;
      list.push_back(std::move(item));
    }
    reply["events"] = std::move(list);
    reply["next_after_seq"] = next ? json(*next) : json(nullptr);
    return reply;
  }
  if (store_.alerts() != nullptr) {
    if (auto handled = store_.alerts()->HandleQuery(request, &pushes)) return *handled;
  }
  if (store_.dossiers() != nullptr) {
    if (auto handled = store_.dossiers()->HandleQuery(request)) return *handled;
  }
  return protocol::ErrorReply(re, Status(Code::kUnknownType, "this host cannot answer " + request.type, "type"));
}

Status RequestHandler::RunTimers(std::vector<std::string>* frames) {
  // A store that cannot be opened was logged when first tried, and is answered to every request.
  if (!store_.Open().ok()) return Status::Ok();
  std::vector<json> pushes;
  Status status = FollowLog(&pushes);
  if (status.ok()) status = store_.alerts()->RunTimeRules(&pushes);
  for (const auto& push : pushes) frames->push_back(protocol::Serialize(push));
  return status;
}

}  // namespace temoin::app
