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

}  // namespace temoin::protocol
