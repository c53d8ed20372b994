#include "rules/alert_store.h"

#include <SQLiteCpp/Statement.h>

namespace temoin::rules {

namespace {

constexpr char kColumns[] =
    "id, kind, severity, platform, account, currency, episode, raised_ms, raised_at, message, evidence, state, "
    "acknowledged_at, resolved_at";

AlertRow ReadRow(SQLite::Statement& q) {
  AlertRow r;
  r.id = q.getColumn(0).getInt64();
  r.kind = q.getColumn(1).getString();
  r.severity = q.getColumn(2).getString();
  r.platform = q.getColumn(3).getString();
  r.account = q.getColumn(4).getString();
  if (!q.getColumn(5).isNull()) r.currency = q.getColumn(5).getString();
  r.episode = q.getColumn(6).getString();
  r.raised_ms = q.getColumn(7).getInt64();
  r.raised_at = q.getColumn(8).getString();
  r.message = q.getColumn(9).getString();
  auto evidence = nlohmann::json::parse(q.getColumn(10).getString(), nullptr, false);
  if (evidence.is_array()) {
    for (const auto& s : evidence) {
      if (s.is_number_integer()) r.evidence.push_back(s.get<std::int64_t>());
    }
  }
  r.state = q.getColumn(11).getString();
  if (!q.getColumn(12).isNull()) r.acknowledged_at = q.getColumn(12).getString();
  if (!q.getColumn(13).isNull()) r.resolved_at = q.getColumn(13).getString();
  return r;
}

std::string Str(const nlohmann::json& body, const char* key) {
  return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
}

}  // namespace

nlohmann::json AlertToJson(const AlertRow& r) {
  return nlohmann::json{{"id", r.id},
                        {"kind", r.kind},
                        {"severity", r.severity},
                        {"platform", r.platform},
                        {"account", r.account},
                        {"raised_at", r.raised_at},
                        {"message", r.message},
                        {"evidence", r.evidence},
                        {"state", r.state},
                        {"resolved_at", r.resolved_at ? nlohmann::json(*r.resolved_at) : nlohmann::json(nullptr)},
                        {"acknowledged_at",
                         r.acknowledged_at ? nlohmann::json(*r.acknowledged_at) : nlohmann::json(nullptr)}};
}

Result<std::optional<AlertRow>> AlertStore::Get(std::int64_t id) {
  std::optional<AlertRow> row;
  Status status = store::CatchStorage("cannot read the alerts", [&]() -> Status {
    auto q = db_.Prepare(std::string("SELECT ") + kColumns + " FROM alerts WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) row = ReadRow(*q);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return row;
}

Result<bool> AlertStore::Exists(const std::string& kind, const std::string& platform, const std::string& account,
                                const std::string& episode) {
  bool found = false;
  Status status = store::CatchStorage("cannot read the alerts", [&]() -> Status {
    auto q = db_.Prepare("SELECT 1 FROM alerts WHERE kind = ? AND platform = ? AND account = ? AND episode = ?");
    q.bind(1, kind);
    q.bind(2, platform);
    q.bind(3, account);
    q.bind(4, episode);
    found = q.executeStep();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return found;
}

Result<std::vector<AlertRow>> AlertStore::Unresolved(const std::string& platform, const std::string& account) {
  std::vector<AlertRow> rows;
  Status status = store::CatchStorage("cannot read the alerts", [&]() -> Status {
    auto q = db_.Prepare(std::string("SELECT ") + kColumns +
                         " FROM alerts WHERE platform = ? AND account = ? AND state != 'resolved' ORDER BY id");
    q.bind(1, platform);
    q.bind(2, account);
    while (q.executeStep()) rows.push_back(ReadRow(*q));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return rows;
}

Result<std::vector<AlertRow>> AlertStore::List(bool open_only, const std::optional<std::string>& platform,
                                               const std::optional<std::string>& account, std::int64_t after_id,
                                               int limit) {
  std::vector<AlertRow> rows;
  Status status = store::CatchStorage("cannot read the alerts", [&]() -> Status {
    auto q = db_.Prepare(std::string("SELECT ") + kColumns +
                                       " FROM alerts WHERE id > ?1 AND (?2 = 0 OR state = 'open') "
                                       "AND (?3 IS NULL OR platform = ?3) AND (?4 IS NULL OR account = ?4) "
                                       "ORDER BY id LIMIT ?5");
    q.bind(1, after_id);
    q.bind(2, open_only ? 1 : 0);
    if (platform) {
      q.bind(3, *platform);
    } else {
      q.bind(3);
    }
    if (account) {
      q.bind(4, *account);
    } else {
      q.bind(4);
    }
    q.bind(5, limit);
    while (q.executeStep()) rows.push_back(ReadRow(*q));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return rows;
}

Result<std::int64_t> AlertStore::NextId() {
  std::int64_t next = 1;
  Status status = store::CatchStorage("cannot number the alert", [&]() -> Status {
    auto q = db_.Prepare("SELECT MAX((SELECT COALESCE(MAX(id), 0) FROM alerts), "
                        "(SELECT COUNT(*) FROM events WHERE type = 'alert.raised'))");
    if (q.executeStep()) next = q.getColumn(0).getInt64() + 1;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return next;
}

Status AlertStore::ApplyAlertEvent(const std::string& type, const std::string& platform, const std::string& account,
                                   std::int64_t at_ms, const nlohmann::json& body) {
  if (!body.contains("alert_id") || !body["alert_id"].is_number_integer()) {
    return Status(Code::kInternal, "an " + type + " event without alert_id");
  }
  std::int64_t id = body["alert_id"].get<std::int64_t>();
  std::string at = Str(body, "at");
  return store::CatchStorage("cannot update the alerts", [&]() -> Status {
    if (type == "alert.raised") {
      auto q = db_.Prepare("INSERT INTO alerts (id, kind, severity, platform, account, currency, episode, raised_ms, "
                          "raised_at, message, evidence, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')");
      q.bind(1, id);
      q.bind(2, Str(body, "kind"));
      q.bind(3, Str(body, "severity"));
      q.bind(4, platform);
      q.bind(5, account);
      if (body.contains("currency") && body["currency"].is_string()) {
        q.bind(6, body["currency"].get<std::string>());
      } else {
        q.bind(6);
      }
      q.bind(7, Str(body, "episode"));
      q.bind(8, at_ms);
      q.bind(9, at);
      q.bind(10, Str(body, "message"));
      q.bind(11, body.contains("evidence") ? body["evidence"].dump() : std::string("[]"));
      q.exec();
    } else if (type == "alert.resolved") {
      auto q = db_.Prepare("UPDATE alerts SET state = 'resolved', resolved_at = ? WHERE id = ?");
      q.bind(1, at);
      q.bind(2, id);
      q.exec();
    } else if (type == "alert.acknowledged") {
      auto q = db_.Prepare("UPDATE alerts SET acknowledged_at = ?, "
                          "state = CASE WHEN state = 'resolved' THEN state ELSE 'acknowledged' END WHERE id = ?");
      q.bind(1, at);
      q.bind(2, id);
      q.exec();
    } else {
      return Status(Code::kInternal, "not an alert event: " + type);
    }
    return Status::Ok();
  });
}

}  // namespace temoin::rules
