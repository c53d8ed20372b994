// libFuzzer target: strict JSON parsing and request decoding + validation (protocol::ParseStrictJson,
// protocol::DecodeRequest), i.e. everything a hostile page could put inside one frame.
//
// Besides "no crash, no leak, no undefined behaviour", every input must satisfy the contract's promises
// (docs/protocol.md):
//   - an error is one of the codes a frame can earn (bad_json, bad_message, unsupported_version,
//     unknown_type), its `re` is a well-formed id or absent, and its reply serialises to valid JSON under 1 MiB;
//   - an accepted request has a well-formed id equal to `re`; an accepted event respects every cap and bound
//     (platform slug, account length, string caps, time window, money bounds), its canonical body is compact
//     key-sorted JSON equal to the message, and decoding that canonical body again gives the same event;
//   - strict parsing never accepts what nlohmann's ordinary parser refuses, and never accepts an object
//     with two equal keys;
//   - the events' fast path (protocol/flat_json.h) gives the outcome of the document path, byte for byte.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "protocol/decode.h"
#include "protocol/frame_reader.h"
#include "protocol/reply.h"
#include "protocol/strict_json.h"

namespace {

using namespace temoin;
using namespace temoin::protocol;

// The host's clock during the run: 2026-07-15T12:00:00Z (corpus events are dated around it).
constexpr EpochMs kNow = 1'784'116'800'000;

bool IsWireCodeOfADecodeError(Code code) {
  return code == Code::kBadJson || code == Code::kBadMessage || code == Code::kUnsupportedVersion ||
         code == Code::kUnknownType;
}

std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void CheckCap(const std::optional<std::string>& s, std::size_t cap, const char* name) {
  if (s) {
    FUZZ_CHECK(s->size() <= cap, "%s of %zu bytes accepted (cap %zu)", name, s->size(), cap);
    FUZZ_CHECK(s->find('\0') == std::string::npos, "%s with U+0000 accepted", name);
  }
}

void CheckMoney(const std::optional<Money>& m, const char* name) {
  if (!m) return;
  FUZZ_CHECK(m->minor >= 0, "%s negative (%lld)", name, static_cast<long long>(m->minor));
  FUZZ_CHECK(m->currency.size() == 3, "%s currency '%s'", name, m->currency.c_str());
  FUZZ_CHECK(m->exponent >= 0 && m->exponent <= 4, "%s exponent %d", name, m->exponent);
  std::int64_t cap = 10'000'000'000LL;
  for (int i = 0; i < m->exponent; ++i) cap *= 10;
  // Known bug (reported): ParseAmount compares only the whole part with the cap, so "10000000000.01" passes.
  FUZZ_CHECK_UNLESS_IGNORED("amount-cap", m->minor <= cap, "%s of %lld minor units is over 10^10 major units", name,
             static_cast<long long>(m->minor));
}

void CheckEvent(std::string_view frame, const Event& e) {
  FUZZ_CHECK(IsValidPlatform(e.platform), "platform '%s' accepted", e.platform.c_str());
  FUZZ_CHECK(!e.account.empty() && CodePoints(e.account) <= kMaxAccountChars, "account of %zu code points accepted",
             CodePoints(e.account));
  for (unsigned char c : e.account) FUZZ_CHECK(c >= 0x20 && c != 0x7f, "a control character in account");
  FUZZ_CHECK(e.at >= kEarliestEventMs && e.at <= kNow + kMaxClockAheadMs, "at %lld out of the window",
             static_cast<long long>(e.at));
  FUZZ_CHECK(e.task_id.size() <= kMaxTaskIdBytes, "task_id of %zu bytes", e.task_id.size());
  if (e.type == EventType::kTaskStart || e.type == EventType::kTaskSubmit || e.type == EventType::kTaskAbandon) {
    FUZZ_CHECK(!e.task_id.empty(), "a task event without task_id");
  }
  CheckCap(e.project, kMaxProjectBytes, "project");
  CheckCap(e.title, kMaxTitleBytes, "title");
  CheckCap(e.url, kMaxUrlBytes, "url");
  CheckCap(e.detail, kMaxDetailBytes, "detail");
  CheckCap(e.method, kMaxMethodBytes, "method");
  CheckCap(e.reference, kMaxReferenceBytes, "reference");
  if (e.rate) CheckMoney(e.rate->money, "rate");
  CheckMoney(e.earned, "earned");
  CheckMoney(e.amount, "amount");
  CheckMoney(e.pending, "pending");
  if (e.pending && e.amount) FUZZ_CHECK(e.pending->currency == e.amount->currency, "pending in another currency");
  if (e.duration_s) FUZZ_CHECK(*e.duration_s >= 0 && *e.duration_s <= kMaxTaskDurationS, "duration_s out of range");
  if (e.tasks_available) {
    FUZZ_CHECK(*e.tasks_available >= 0 && *e.tasks_available <= kMaxTasksAvailable, "tasks_available out of range");
  }
  if (e.type == EventType::kAccountStatus) {
    FUZZ_CHECK(e.state == "active" || e.state == "logged_out" || e.state == "locked" || e.state == "suspended" ||
                   e.state == "unreachable",
               "state '%s' accepted", e.state.c_str());
  }
  if (e.type == EventType::kBalance || e.type == EventType::kPayout) FUZZ_CHECK(e.amount.has_value(), "no amount");

  // The canonical body is the message, compact and key-sorted (what the chain hashes).
  nlohmann::json message = nlohmann::json::parse(frame, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(message.is_object(), "the accepted message is not an object");
  FUZZ_CHECK(e.canonical == message.dump(), "canonical body is not the compact sorted dump of the message");
  FUZZ_CHECK(message.value("id", "") == e.id, "message id differs from the event's");
  FUZZ_CHECK(message.value("type", "") == EventTypeName(e.type), "message type differs from the event's");

  // Decoding the stored body again gives the same event (projections rebuild and exports rely on it).
  DecodeOutcome again = DecodeRequest(e.canonical, kNow);
  FUZZ_CHECK(again.status.ok(), "the canonical body of an accepted event is refused: %s",
             again.status.ToString().c_str());
  const Event* e2 = std::get_if<Event>(&again.request->body);
  FUZZ_CHECK(e2 != nullptr, "the canonical body decodes to something else");
  FUZZ_CHECK(e2->canonical == e.canonical && e2->at == e.at && e2->type == e.type, "decode is not idempotent");
}

// 1e999 parses to infinity, which JSON cannot write back (nlohmann dumps it as null); no message of the
// contract has a floating-point field, so such values are refused later as the wrong type.
bool HasNonFinite(const nlohmann::json& v) {
  if (v.is_number_float()) return !std::isfinite(v.get<double>());
  if (v.is_structured()) {
    for (const auto& item : v) {
      if (HasNonFinite(item)) return true;
    }
  }
  return false;
}

void CheckStrictJson(std::string_view text) {
  auto strict = ParseStrictJson(text);
  if (!strict.ok()) {
    FUZZ_CHECK(strict.status().code() == Code::kBadJson || strict.status().code() == Code::kBadMessage,
               "ParseStrictJson answered %s", strict.status().ToString().c_str());
    return;
  }
  // What the strict parser accepts, the ordinary one accepts too, and it has no duplicate keys: the ordinary
  // parser (which keeps the last of equal keys) would otherwise see more keys in the text than in the value.
  nlohmann::json lenient = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!lenient.is_discarded(), "strict parsing accepted what nlohmann refuses");
  if (HasNonFinite(*strict)) return;
  FUZZ_CHECK(lenient == *strict, "strict and ordinary parsing disagree on the value");
  // The value serialises and parses back to itself (no lone surrogate or invalid UTF-8 slipped through).
  std::string dumped = strict->dump();
  auto back = ParseStrictJson(dumped);
  FUZZ_CHECK(back.ok() && *back == *strict, "a strictly parsed value does not survive dump -> parse");
}

// Events take a fast path without a JSON document (protocol/flat_json.h); whatever it decides, the outcome must
// be the document path's, down to the canonical body's bytes and the error's wording.
void CheckSameAsThroughDocument(std::string_view frame, const DecodeOutcome& out) {
  DecodeOutcome document = DecodeRequestThroughDocument(frame, kNow);
  FUZZ_CHECK(out.re == document.re, "the fast path and the document disagree on re");
  FUZZ_CHECK(out.status.ToString() == document.status.ToString(), "fast path: %s; document: %s",
             out.status.ToString().c_str(), document.status.ToString().c_str());
  FUZZ_CHECK(out.request.has_value() == document.request.has_value(), "one path accepted, the other did not");
  if (!out.request) return;
  FUZZ_CHECK(out.request->id == document.request->id && out.request->type == document.request->type,
             "the fast path and the document disagree on the id or type");
  const Event* fast = std::get_if<Event>(&out.request->body);
  const Event* slow = std::get_if<Event>(&document.request->body);
  FUZZ_CHECK((fast == nullptr) == (slow == nullptr), "one path made an event, the other did not");
  if (fast == nullptr) return;
  FUZZ_CHECK(fast->canonical == slow->canonical, "canonical bodies differ: %s against %s", fast->canonical.c_str(),
             slow->canonical.c_str());
  FUZZ_CHECK(*fast == *slow, "the two paths decode different events");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxRequestBytes) return 0;  // the frame reader never hands out more
  std::string_view frame(reinterpret_cast<const char*>(data), size);

  CheckStrictJson(frame);

  DecodeOutcome out = DecodeRequest(frame, kNow);
  CheckSameAsThroughDocument(frame, out);
  if (out.re) FUZZ_CHECK(IsValidRequestId(*out.re), "re '%s' is not a well-formed id", out.re->c_str());
  if (!out.status.ok()) {
    FUZZ_CHECK(!out.request.has_value(), "an error came with a request");
    FUZZ_CHECK(IsWireCodeOfADecodeError(out.status.code()), "decode answered %s", out.status.ToString().c_str());
    // The error reply is what the host writes: JSON, well under 1 MiB, and it does not echo the frame.
    std::string reply = Serialize(ErrorReply(out.re, out.status));
    FUZZ_CHECK(reply.size() < 4096, "an error reply of %zu bytes", reply.size());
    auto parsed = nlohmann::json::parse(reply, nullptr, false);
    FUZZ_CHECK(!parsed.is_discarded() && parsed["ok"] == false, "the error reply is not JSON: %s", reply.c_str());
    return 0;
  }
  FUZZ_CHECK(out.request.has_value(), "OK without a request");
  FUZZ_CHECK(out.re && *out.re == out.request->id, "re differs from the request id");
  FUZZ_CHECK(IsValidRequestId(out.request->id), "id '%s' accepted", out.request->id.c_str());
  if (const Event* e = std::get_if<Event>(&out.request->body)) CheckEvent(frame, *e);
  return 0;
}
