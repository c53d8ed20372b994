// Building the host's replies and pushes (docs/protocol.md, "Replies"). Every reply goes through here so that
// the envelope ({"v":1,"re":…,"ok":…}) has one definition.
#ifndef TEMOIN_PROTOCOL_REPLY_H_
#define TEMOIN_PROTOCOL_REPLY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace temoin::protocol {

// {"v":1,"re":re,"ok":true}; the caller adds the payload fields.
nlohmann::json OkReply(const std::string& re);

// {"v":1,"re":re|null,"ok":false,"error":{"code","message","field"?}}.
nlohmann::json ErrorReply(const std::optional<std::string>& re, const Status& status);

// A push the host sends unasked: {"v":1,"type":type, ...payload}.
nlohmann::json Push(const std::string& type);

// Compact JSON text of a reply. Invalid UTF-8 cannot occur (every string came through strict parsing or was
// built by the host), but if it did it is replaced rather than crashing the host.
std::string Serialize(const nlohmann::json& reply);

// True when Serialize writes `text` as a string by just quoting it: printable ASCII without a quote or backslash.
bool QuotesAsIs(std::string_view text);

// Appends `text` as a JSON string literal, exactly as Serialize writes a string (invalid UTF-8 replaced). For
// replies written as text rather than built as JSON values: query.summary, and the dossier's events.jsonl.
void AppendJsonString(std::string* out, std::string_view text);

// The text of OkReply(re) with `fields` (compact JSON members, `"name":value,...`) added: what Serialize would
// write for it, provided every name in `fields` sorts before "ok" and they come in sorted order (Serialize
// writes keys sorted).
std::string OkReplyText(const std::string& re, std::string_view fields);

// The acknowledgement of a stored event, {"duplicate":…,"ok":true,"re":re,"seq":seq,"v":1}, as Serialize would
// write it: every event gets one, and building it as a JSON value cost 2% of an event's ingest.
std::string EventAckText(const std::string& re, std::int64_t seq, bool duplicate);

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_REPLY_H_
