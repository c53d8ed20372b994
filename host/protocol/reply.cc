#include "protocol/reply.h"

#include "protocol/messages.h"

namespace temoin::protocol {

nlohmann::json OkReply(const std::string& re) {
  return nlohmann::json{{"v", kContractVersion}, {"re", re}, {"ok", true}};
}

nlohmann::json ErrorReply(const std::optional<std::string>& re, const Status& status) {
  nlohmann::json error{{"code", std::string(WireName(status.code()))}, {"message", status.message()}};
  if (!status.field().empty()) error["field"] = status.field();
  return nlohmann::json{{"v", kContractVersion}, {"re", re ? nlohmann::json(*re) : nlohmann::json(nullptr)},
                        {"ok", false}, {"error", std::move(error)}};
}

nlohmann::json Push(const std::string& type) { return nlohmann::json{{"v", kContractVersion}, {"type", type}}; }

std::string Serialize(const nlohmann::json& reply) {
  return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool QuotesAsIs(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
  }
  return true;
}

void AppendJsonString(std::string* out, std::string_view text) {
  // Quoted here without building a JSON value when nlohmann would write it as it is (the summary writes a dozen
  // strings per account, events.jsonl eight per line).
  if (QuotesAsIs(text)) {
    *out += '"';
    out->append(text);
    *out += '"';
    return;
  }
  *out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string OkReplyText(const std::string& re, std::string_view fields) {
  std::string out = "{";
  out.append(fields);
  if (!fields.empty()) out += ',';
  out += "\"ok\":true,\"re\":";
  AppendJsonString(&out, re);
  out += ",\"v\":" + std::to_string(kContractVersion) + "}";
  return out;
}

std::string EventAckText(const std::string& re, std::int64_t seq, bool duplicate) {
  std::string out = duplicate ? "{\"duplicate\":true,\"ok\":true,\"re\":" : "{\"duplicate\":false,\"ok\":true,\"re\":";
  AppendJsonString(&out, re);
  out += ",\"seq\":" + std::to_string(seq) + ",\"v\":" + std::to_string(kContractVersion) + "}";
  return out;
}

}  // namespace temoin::protocol
