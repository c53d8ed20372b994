// The alert service: runs the rules (rules/rule.h), reconciles their findings with the `alerts` table, and
// records every change as one of the host's own events in the account's chained log.
//
// Host events (docs/alerts.md, "What the log records"):
//   alert.raised        id host:alert:<n>:raised        body: alert_id, kind, severity, episode, currency?,
//                                                             message, evidence
//   alert.resolved      id host:alert:<n>:resolved      body: alert_id, kind, episode, reason
//   alert.acknowledged  id host:alert:<n>:acknowledged  body: alert_id, kind
//   config.set          id host:config:<seq>            body: scope ("account" | "defaults"), settings
// Every body also has v, id, type, platform, account and at (the host clock, protocol::FormatUtc), and is
// stored as compact, key-sorted JSON. config.set for the defaults goes to the chain platform "temoin",
// account "settings".
#include "rules/alert_service.h"

#include <SQLiteCpp/Statement.h>

#include <set>

#include "protocol/alert_settings.h"
#include "protocol/reply.h"
#include "protocol/timestamp.h"
#include "rules/alert_store.h"
#include "rules/balance_scan.h"
#include "rules/rule.h"
#include "rules/settings.h"

namespace temoin::rules {

using nlohmann::json;

AlertService::AlertService(store::Database& db, const Clock& clock) : db_(db), clock_(clock), rules_(AllRules()) {}
AlertService::~AlertService() = default;

Status AlertService::InTransaction(const std::function<Status()>& fn) {
  if (db_.in_transaction()) return fn();
  TEMOIN_RETURN_IF_ERROR(db_.Begin());
  Status status = fn();
  if (!status.ok()) {
    db_.Rollback();
    return status;
  }
  return db_.Commit();
}

Status AlertService::ApplyHostEvent(const std::string& type, const std::string& platform, const std::string& account,
                                    EpochMs at_ms, const json& body) {
  wrote_ = true;
  if (type == "config.set") {
    if (!body.contains("settings") || !body["settings"].is_object()) {
      return Status(Code::kInternal, "a config.set event without settings");
    }
    thresholds_.clear();
    bool defaults = body.value("scope", "") == "defaults" ||
                    (platform == kSettingsPlatform && account == kSettingsAccount);
    return StoreSettings(db_, defaults ? "" : platform, defaults ? "" : account, body["settings"]);
  }
  if (type.rfind("alert.", 0) == 0) {
    unresolved_.erase({platform, account});
    return AlertStore(db_).ApplyAlertEvent(type, platform, account, at_ms, body);
  }
  return Status::Ok();  // a host event of a later version: nothing to derive here
}

Status AlertService::Record(const std::string& id, const std::string& type, const std::string& platform,
                            const std::string& account, json body) {
  EpochMs now = clock_.NowMs();
  std::string at = protocol::FormatUtc(now);
  body["v"] = protocol::kContractVersion;
  body["id"] = id;
  body["type"] = type;
  body["platform"] = platform;
  body["account"] = account;
  body["at"] = at;
  store::EventLog log(db_);
  auto appended = log.Append({id, type, platform, account, at, now, body.dump()}, now);
  if (!appended.ok()) return appended.status();
  if (appended->duplicate) return Status::Ok();  // already recorded (and applied) once
  return ApplyHostEvent(type, platform, account, now, body);
}

Status AlertService::AlertPush(std::int64_t id, std::vector<json>* pushes) {
  auto row = AlertStore(db_).Get(id);
  if (!row.ok()) return row.status();
  if (!*row) return Status(Code::kInternal, "alert " + std::to_string(id) + " vanished");
  json push = protocol::Push("alert");
  push["alert"] = AlertToJson(**row);
  pushes->push_back(std::move(push));
  return Status::Ok();
}

Status AlertService::Reconcile(const Rule& rule, const std::string& platform, const std::string& account,
                               const Thresholds& thresholds, std::optional<EpochMs> changed_at,
                               std::vector<json>* pushes, BalanceScanCache* balance_scan,
                               const store::AccountRow* account_row) {
  AccountContext ctx{db_, platform, account, thresholds, clock_.NowMs(), changed_at, balance_scan, account_row};
  auto findings = rule.Evaluate(ctx);
  if (!findings.ok()) return findings.status();
  AlertStore alerts(db_);
  std::string kind(rule.kind());
  std::set<std::string> holding;
  for (const auto& f : *findings) {
    holding.insert(f.episode);
    auto exists = alerts.Exists(kind, platform, account, f.episode);
    if (!exists.ok()) return exists.status();
    if (*exists) continue;  // once per episode
    auto id = alerts.NextId();
    if (!id.ok()) return id.status();
    json body{{"alert_id", *id},      {"kind", kind},         {"severity", std::string(rule.severity())},
              {"episode", f.episode}, {"message", f.message}, {"evidence", f.evidence}};
    if (f.currency) body["currency"] = *f.currency;
    TEMOIN_RETURN_IF_ERROR(
        Record("host:alert:" + std::to_string(*id) + ":raised", "alert.raised", platform, account, body));
    TEMOIN_RETURN_IF_ERROR(AlertPush(*id, pushes));
  }
  auto unresolved = UnresolvedFor(platform, account);
  if (!unresolved.ok()) return unresolved.status();
  std::vector<AlertRow> of_kind;  // a copy: resolving one below forgets the account's cached list
  for (const auto& row : **unresolved) {
    if (row.kind == kind) of_kind.push_back(row);
  }
  for (const auto& row : of_kind) {
    if (holding.count(row.episode) > 0) continue;
    auto seen = rule.Sees(ctx, row.episode);
    if (!seen.ok()) return seen.status();
    if (!*seen) continue;
    json body{{"alert_id", row.id}, {"kind", kind}, {"episode", row.episode},
              {"reason", "the situation no longer holds in the record"}};
    TEMOIN_RETURN_IF_ERROR(
        Record("host:alert:" + std::to_string(row.id) + ":resolved", "alert.resolved", platform, account, body));
    TEMOIN_RETURN_IF_ERROR(AlertPush(row.id, pushes));
  }
  return Status::Ok();
}

void AlertService::ForgetIfStale() {
  if (db_.in_transaction() && db_.transaction_serial() == cached_transaction_) return;
  // Another transaction. Outside one, another process may change them at any moment: nothing kept. In a new
  // one (which holds the write lock), what was read still holds if no other connection has committed since
  // (PRAGMA data_version) and this service has written nothing since they were last checked (it cannot know
  // whether that transaction committed: a catch-up that raised an alert may have rolled back). Reloading them
  // at every catch-up was 4 % of an event's instructions (docs/performance.md).
  std::int64_t version = -1;
  if (db_.in_transaction()) {
    Status read = store::CatchStorage("cannot read the data version", [&] {
      auto q = db_.Prepare("PRAGMA data_version");
      if (q.executeStep()) version = q.getColumn(0).getInt64();
      return Status::Ok();
    });
    if (!read.ok()) version = -1;
  }
  const bool still_true = version >= 0 && version == cached_data_version_ && !wrote_;
  if (!still_true) {
    thresholds_.clear();
    unresolved_.clear();
  }
  cached_transaction_ = db_.transaction_serial();
  cached_data_version_ = version;
  wrote_ = false;
}

Result<const std::vector<AlertRow>*> AlertService::UnresolvedFor(const std::string& platform,
                                                                 const std::string& account) {
  ForgetIfStale();
  auto key = std::make_pair(platform, account);
  auto it = unresolved_.find(key);
  if (it == unresolved_.end()) {
    auto loaded = AlertStore(db_).Unresolved(platform, account);
    if (!loaded.ok()) return loaded.status();
    it = unresolved_.emplace(std::move(key), std::move(*loaded)).first;
  }
  return &it->second;
}

Result<const Thresholds*> AlertService::ThresholdsFor(const std::string& platform, const std::string& account) {
  ForgetIfStale();
  auto key = std::make_pair(platform, account);
  auto it = thresholds_.find(key);
  if (it == thresholds_.end()) {
    auto loaded = LoadThresholds(db_, platform, account);
    if (!loaded.ok()) return loaded.status();
    it = thresholds_.emplace(std::move(key), std::move(*loaded)).first;
  }
  return &it->second;
}

Status AlertService::OnEvent(const protocol::Event& event, std::int64_t, std::vector<json>* pushes,
                             const store::AccountRow* account_row) {
  auto thresholds = ThresholdsFor(event.platform, event.account);
  if (!thresholds.ok()) return thresholds.status();
  std::vector<json> mine;
  BalanceScanCache balance_scan;  // balance_vanished and balance_dropped walk the same balances
  for (const auto& rule : rules_) {
    if (!rule->TriggeredBy(event.type)) continue;
    TEMOIN_RETURN_IF_ERROR(
        Reconcile(*rule, event.platform, event.account, **thresholds, event.at, &mine, &balance_scan, account_row));
  }
  for (auto& p : mine) pushes->push_back(std::move(p));
  return Status::Ok();
}

Status AlertService::RunTimeRules(std::vector<json>* pushes) {
  std::vector<json> mine;
  TEMOIN_RETURN_IF_ERROR(InTransaction([&]() -> Status {
    std::vector<std::pair<std::string, std::string>> accounts;
    TEMOIN_RETURN_IF_ERROR(store::CatchStorage("cannot list the accounts", [&]() -> Status {
      auto q = db_.Prepare("SELECT platform, account FROM accounts ORDER BY platform, account");
      while (q.executeStep()) accounts.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
      return Status::Ok();
    }));
    for (const auto& [platform, account] : accounts) {
      auto thresholds = LoadThresholds(db_, platform, account);
      if (!thresholds.ok()) return thresholds.status();
      for (const auto& rule : rules_) {
        if (!rule->time_based()) continue;
        TEMOIN_RETURN_IF_ERROR(Reconcile(*rule, platform, account, *thresholds, std::nullopt, &mine));
      }
    }
    return Status::Ok();
  }));
  for (auto& p : mine) pushes->push_back(std::move(p));
  return Status::Ok();
}

json AlertService::AnswerAlerts(const protocol::Request& request, const protocol::AlertsQuery& q) {
  auto rows = AlertStore(db_).List(q.open_only, q.platform, q.account, q.after_id, q.limit + 1);
  if (!rows.ok()) return protocol::ErrorReply(request.id, rows.status());
  json list = json::array();
  std::optional<std::int64_t> next;
  std::size_t size = 256;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    if (static_cast<int>(i) == q.limit) {
      next = (*rows)[i - 1].id;
      break;
    }
    json item = AlertToJson((*rows)[i]);
    std::size_t item_size = item.dump().size() + 1;
    if (size + item_size > 900 * 1024 && !list.empty()) {  // stay well under the 1 MiB reply cap
      next = (*rows)[i - 1].id;
      break;
    }
    size += item_size;
    list.push_back(std::move(item));
  }
  json reply = protocol::OkReply(request.id);
  reply["alerts"] = std::move(list);
  reply["next_after_id"] = next ? json(*next) : json(nullptr);
  return reply;
}

json AlertService::AnswerAck(const protocol::Request& request, const protocol::AlertAck& ack) {
  AlertStore alerts(db_);
  Status status = InTransaction([&]() -> Status {
    auto row = alerts.Get(ack.alert_id);
    if (!row.ok()) return row.status();
    if (!*row) return BadMessage("alert_id", "no alert has this id");
    if ((*row)->acknowledged_at) return Status::Ok();  // acknowledged once is enough
    json body{{"alert_id", ack.alert_id}, {"kind", (*row)->kind}};
    return Record("host:alert:" + std::to_string(ack.alert_id) + ":acknowledged", "alert.acknowledged",
                  (*row)->platform, (*row)->account, body);
  });
  if (!status.ok()) return protocol::ErrorReply(request.id, status);
  auto row = alerts.Get(ack.alert_id);
  if (!row.ok()) return protocol::ErrorReply(request.id, row.status());
  json reply = protocol::OkReply(request.id);
  reply["alert"] = AlertToJson(**row);
  return reply;
}

json AlertService::AnswerConfigGet(const protocol::Request& request, const protocol::AccountScope& scope) {
  auto t = LoadThresholds(db_, scope.platform.value_or(""), scope.account.value_or(""));
  if (!t.ok()) return protocol::ErrorReply(request.id, t.status());
  json reply = protocol::OkReply(request.id);
  reply["config"] = t->effective;
  return reply;
}

json AlertService::AnswerConfigSet(const protocol::Request& request, const protocol::ConfigSet& set) {
  Status valid = protocol::ValidateSettings(set.settings);
  if (!valid.ok()) return protocol::ErrorReply(request.id, valid);
  if (set.scope.platform.has_value() != set.scope.account.has_value()) {
    return protocol::ErrorReply(request.id, BadMessage("account", "platform and account go together"));
  }
  if (!set.settings.empty()) {
    bool defaults = !set.scope.platform;
    Status status = InTransaction([&]() -> Status {
      auto last = store::EventLog(db_).LastSeq();
      if (!last.ok()) return last.status();
      json body{{"scope", defaults ? "defaults" : "account"}, {"settings", set.settings}};
      return Record("host:config:" + std::to_string(*last + 1), "config.set",
                    defaults ? kSettingsPlatform : *set.scope.platform,
                    defaults ? kSettingsAccount : *set.scope.account, body);
    });
    if (!status.ok()) return protocol::ErrorReply(request.id, status);
  }
  return AnswerConfigGet(request, set.scope);
}

std::optional<json> AlertService::HandleQuery(const protocol::Request& request, std::vector<json>*) {
  if (auto* q = std::get_if<protocol::AlertsQuery>(&request.body)) return AnswerAlerts(request, *q);
  if (auto* q = std::get_if<protocol::AlertAck>(&request.body)) return AnswerAck(request, *q);
  if (auto* q = std::get_if<protocol::ConfigGet>(&request.body)) return AnswerConfigGet(request, q->scope);
  if (auto* q = std::get_if<protocol::ConfigSet>(&request.body)) return AnswerConfigSet(request, *q);
  return std::nullopt;
}

Status AlertService::ReplayHostEvent(const store::LoggedEvent& event) {
  auto body = json::parse(event.body, nullptr, false);
  if (!body.is_object()) return Status(Code::kInternal, "host event " + std::to_string(event.seq) + " is not an object");
  return ApplyHostEvent(event.type, event.platform, event.account, event.at_ms, body);
}

}  // namespace temoin::rules
