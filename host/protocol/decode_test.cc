#include "protocol/decode.h"

#include <gtest/gtest.h>

#include "protocol/flat_json.h"
#include "protocol/reply.h"
#include "protocol/timestamp.h"

namespace temoin::protocol {
namespace {

using nlohmann::json;

const EpochMs kNow = *ParseRfc3339("2026-07-15T12:00:00Z");

json Base(const std::string& type) {
  json e{{"v", 1}, {"type", type}, {"id", "e-1"}, {"platform", "dataannotation"}, {"account", "ana@example.org"},
         {"at", "2026-07-14T09:30:00+02:00"}};
  return e;
}

DecodeOutcome Decode(const json& message) { return DecodeRequest(message.dump(), kNow); }

void ExpectError(const DecodeOutcome& out, Code code, const std::string& field) {
  EXPECT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.code(), code) << out.status.ToString();
  EXPECT_EQ(out.status.field(), field) << out.status.ToString();
}

// One event of each type, with every field it can have.
std::vector<json> EveryEventType() {
  std::vector<json> events;
  json start = Base("task.start");
  start["task_id"] = "t1";
  start["project"] = "Rating";
  start["title"] = "Rate the answer";
  start["url"] = "https://app.dataannotation.tech/workers/tasks/1";
  start["rate"] = {{"amount", "25.00"}, {"currency", "USD"}, {"per", "hour"}};
  events.push_back(start);
  json submit = Base("task.submit");
  submit["task_id"] = "t1";
  submit["duration_s"] = 1800;
  submit["earned"] = {{"amount", "12.50"}, {"currency", "USD"}};
  events.push_back(submit);
  json abandon = Base("task.abandon");
  abandon["task_id"] = "t2";
  events.push_back(abandon);
  json balance = Base("balance");
  balance["amount"] = "1312.50";
  balance["currency"] = "USD";
  balance["pending"] = "48.00";
  events.push_back(balance);
  json missing = Base("balance.missing");
  missing["currency"] = "USD";
  missing["detail"] = "no balance on /workers/payments";
  events.push_back(missing);
  json payout = Base("payout");
  payout["amount"] = "100.00";
  payout["currency"] = "USD";
  payout["method"] = "paypal";
  payout["reference"] = "PP-1";
  events.push_back(payout);
  json status = Base("account.status");
  status["state"] = "locked";
  status["detail"] = "Your account has been deactivated";
  events.push_back(status);
  json heartbeat = Base("heartbeat");
  heartbeat["url"] = "https://app.dataannotation.tech/workers/projects";
  heartbeat["tasks_available"] = 0;
  heartbeat["focused"] = true;
  events.push_back(heartbeat);
  return events;
}

TEST(Decode, AcceptsEveryEventTypeWithItsFields) {
  const std::vector<json> events = EveryEventType();
  const json& start = events[0];
  const json& balance = events[3];
  for (const auto& e : events) {
    auto out = Decode(e);
    ASSERT_TRUE(out.status.ok()) << e.dump() << " -> " << out.status.ToString();
    const auto& event = std::get<Event>(out.request->body);
    EXPECT_EQ(EventTypeName(event.type), e["type"].get<std::string>());
    EXPECT_EQ(event.canonical, e.dump());
    EXPECT_EQ(*out.re, "e-1");
  }
  auto b = std::get<Event>(Decode(balance).request->body);
  EXPECT_EQ(b.amount->minor, 131250);
  EXPECT_EQ(b.pending->minor, 4800);
  auto s = std::get<Event>(Decode(start).request->body);
  EXPECT_EQ(s.rate->money.minor, 2500);
  EXPECT_TRUE(s.rate->per_hour);
  EXPECT_EQ(s.at, *ParseRfc3339("2026-07-14T07:30:00Z"));
}

TEST(Decode, AcceptsEveryQuery) {
  for (const json& q : {json{{"v", 1}, {"type", "ping"}, {"id", "p"}},
                        json{{"v", 1}, {"type", "query.summary"}, {"id", "q"}},
                        json{{"v", 1}, {"type", "query.balance_history"}, {"id", "q"}, {"platform", "prolific"},
                             {"account", "a"}, {"currency", "GBP"}, {"days", 30}},
                        json{{"v", 1}, {"type", "query.events"}, {"id", "q"}, {"event_type", "balance"},
                             {"after_seq", 10}, {"limit", 5}, {"since", "2026-07-01T00:00:00Z"}},
                        json{{"v", 1}, {"type", "query.alerts"}, {"id", "q"}, {"state", "all"}},
                        json{{"v", 1}, {"type", "alert.ack"}, {"id", "q"}, {"alert_id", 3}},
                        json{{"v", 1}, {"type", "config.get"}, {"id", "q"}},
                        json{{"v", 1}, {"type", "config.set"}, {"id", "q"}, {"platform", "prolific"}, {"account", "a"},
                             {"settings", {{"dried_up_days", 5}, {"unpaid_threshold", "50"}}}},
                        json{{"v", 1}, {"type", "export"}, {"id", "q"}, {"platform", "prolific"}, {"account", "a"},
                             {"lang", "fr"}}}) {
    auto out = Decode(q);
    EXPECT_TRUE(out.status.ok()) << q.dump() << " -> " << out.status.ToString();
  }
}

TEST(Decode, ErrorCodesFollowTheDocumentedOrder) {
  // bad_json
  EXPECT_EQ(DecodeRequest("", kNow).status.code(), Code::kBadJson);
  EXPECT_EQ(DecodeRequest("{\"v\":1,", kNow).status.code(), Code::kBadJson);
  EXPECT_EQ(DecodeRequest("{\"v\":1,\"id\":\"a\",\"type\":\"ping\"} x", kNow).status.code(), Code::kBadJson);
  EXPECT_EQ(DecodeRequest("{\"title\":\"\xff\"}", kNow).status.code(), Code::kBadJson);          // invalid UTF-8
  EXPECT_EQ(DecodeRequest("{\"title\":\"\xc0\xaf\"}", kNow).status.code(), Code::kBadJson);      // overlong
  EXPECT_EQ(DecodeRequest("{\"title\":\"\\ud800\"}", kNow).status.code(), Code::kBadJson);       // lone surrogate
  EXPECT_EQ(DecodeRequest("{\"title\":\"\xed\xa0\x80\"}", kNow).status.code(), Code::kBadJson);  // CESU surrogate
  EXPECT_EQ(DecodeRequest("{\"n\":NaN}", kNow).status.code(), Code::kBadJson);
  EXPECT_EQ(DecodeRequest(std::string(100, '[') + std::string(100, ']'), kNow).status.code(), Code::kBadJson);
  // not an object
  ExpectError(DecodeRequest("[1,2]", kNow), Code::kBadMessage, "");
  ExpectError(DecodeRequest("\"ping\"", kNow), Code::kBadMessage, "");
  // v before id before type before fields
  ExpectError(Decode(json{{"type", "ping"}, {"id", "a"}}), Code::kBadMessage, "v");
  ExpectError(Decode(json{{"v", 2}, {"type", "nope"}}), Code::kUnsupportedVersion, "v");
  ExpectError(Decode(json{{"v", "1"}, {"type", "ping"}, {"id", "a"}}), Code::kUnsupportedVersion, "v");
  ExpectError(Decode(json{{"v", 1}, {"type", "nope"}}), Code::kBadMessage, "id");
  ExpectError(Decode(json{{"v", 1}, {"type", "ping"}, {"id", std::string(65, 'a')}}), Code::kBadMessage, "id");
  ExpectError(Decode(json{{"v", 1}, {"type", "ping"}, {"id", "a b"}}), Code::kBadMessage, "id");
  ExpectError(Decode(json{{"v", 1}, {"type", "ping"}, {"id", 7}}), Code::kBadMessage, "id");
  ExpectError(Decode(json{{"v", 1}, {"id", "a"}}), Code::kBadMessage, "type");
  ExpectError(Decode(json{{"v", 1}, {"id", "a"}, {"type", "task.finish"}}), Code::kUnknownType, "type");
  // the reply can still name the request once its id is readable
  EXPECT_EQ(*Decode(json{{"v", 2}, {"type", "ping"}, {"id", "abc"}}).re, "abc");
  EXPECT_FALSE(Decode(json{{"v", 1}, {"type", "ping"}, {"id", "a b"}}).re.has_value());
}

TEST(Decode, DuplicateKeysAreRefusedEvenNested) {
  auto top = DecodeRequest(R"({"v":1,"id":"a","type":"balance","amount":"1.00","amount":"9999.00"})", kNow);
  ExpectError(top, Code::kBadMessage, "amount");
  auto nested = DecodeRequest(R"({"v":1,"id":"a","type":"task.start","rate":{"amount":"1","amount":"2"}})", kNow);
  ExpectError(nested, Code::kBadMessage, "rate.amount");
}

TEST(Decode, FieldsAreCheckedAndNamed) {
  struct Case {
    std::string type;
    json change;  // null removes the field
    std::string field;
  };
  std::vector<Case> cases = {
      {"balance", {{"platform", nullptr}}, "platform"},
      {"balance", {{"platform", "Data Annotation"}}, "platform"},
      {"balance", {{"platform", std::string(33, 'a')}}, "platform"},
      {"balance", {{"account", ""}}, "account"},
      {"balance", {{"account", std::string(129, 'a')}}, "account"},
      {"balance", {{"account", "tab\there"}}, "account"},
      {"balance", {{"at", nullptr}}, "at"},
      {"balance", {{"at", "2026-07-14T09:30:00"}}, "at"},
      {"balance", {{"at", "1999-12-31T23:59:59Z"}}, "at"},
      {"balance", {{"at", "9999-01-01T00:00:00Z"}}, "at"},
      {"balance", {{"at", "2026-07-16T13:00:00Z"}}, "at"},  // more than a day ahead
      {"balance", {{"amount", 12.5}}, "amount"},
      {"balance", {{"amount", "12.505"}}, "amount"},
      {"balance", {{"amount", "-1.00"}}, "amount"},
      {"balance", {{"amount", "1e3"}}, "amount"},
      {"balance", {{"amount", nullptr}}, "amount"},
      {"balance", {{"currency", "usd"}}, "currency"},
      {"balance", {{"currency", nullptr}}, "currency"},
      {"balance", {{"pending", 3}}, "pending"},
      {"balance", {{"extra", 1}}, "extra"},
      {"task.start", {{"task_id", nullptr}}, "task_id"},
      {"task.start", {{"task_id", std::string(129, 'x')}}, "task_id"},
      {"task.start", {{"title", std::string(1025, 'x')}}, "title"},
      {"task.start", {{"url", std::string(2049, 'x')}}, "url"},
      {"task.start", {{"project", std::string(257, 'x')}}, "project"},
      {"task.start", {{"rate", {{"amount", "10"}, {"currency", "USD"}}}}, "rate.per"},
      {"task.start", {{"rate", {{"amount", "10"}, {"currency", "USD"}, {"per", "day"}}}}, "rate.per"},
      {"task.start", {{"rate", {{"amount", 10}, {"currency", "USD"}, {"per", "hour"}}}}, "rate.amount"},
      {"task.start", {{"rate", {{"amount", "10"}, {"per", "hour"}}}}, "rate.currency"},
      {"task.start", {{"rate", {{"amount", "10"}, {"currency", "USD"}, {"per", "hour"}, {"x", 1}}}}, "rate.x"},
      {"task.submit", {{"duration_s", -1}}, "duration_s"},
      {"task.submit", {{"duration_s", 1.5}}, "duration_s"},
      {"task.submit", {{"duration_s", "60"}}, "duration_s"},
      {"task.submit", {{"earned", "12.00"}}, "earned"},
      {"payout", {{"method", std::string(65, 'm')}}, "method"},
      {"account.status", {{"state", "banned"}}, "state"},
      {"account.status", {{"state", nullptr}}, "state"},
      {"heartbeat", {{"tasks_available", -1}}, "tasks_available"},
      {"heartbeat", {{"focused", "yes"}}, "focused"},
      {"balance.missing", {{"detail", std::string(2049, 'd')}}, "detail"},
  };
  for (const auto& c : cases) {
    json e = Base(c.type);
    if (c.type.rfind("task.", 0) == 0) e["task_id"] = "t";
    if (c.type == "balance" || c.type == "payout") {
      e["amount"] = "1.00";
      e["currency"] = "USD";
    }
    if (c.type == "account.status") e["state"] = "active";
    for (const auto& [k, v] : c.change.items()) {
      if (v.is_null()) e.erase(k); else e[k] = v;
    }
    auto out = Decode(e);
    SCOPED_TRACE(e.dump().substr(0, 200));
    ExpectError(out, Code::kBadMessage, c.field);
    EXPECT_EQ(*out.re, "e-1");
  }
}

TEST(Decode, AccountCapCountsCharactersNotBytes) {
  json e = Base("heartbeat");
  std::string accented;
  for (int i = 0; i < 128; ++i) accented += "é";
  e["account"] = accented;
  EXPECT_TRUE(Decode(e).status.ok());
  e["account"] = accented + "é";
  ExpectError(Decode(e), Code::kBadMessage, "account");
}

TEST(Decode, JpyHasNoDecimalsAndKwdHasThree) {
  json e = Base("balance");
  e["currency"] = "JPY";
  e["amount"] = "1500";
  EXPECT_TRUE(Decode(e).status.ok());
  e["amount"] = "1500.5";
  ExpectError(Decode(e), Code::kBadMessage, "amount");
  e["currency"] = "KWD";
  e["amount"] = "1.125";
  EXPECT_TRUE(Decode(e).status.ok());
}

TEST(Decode, ConfigSettingsAreValidatedAndNamed) {
  json q{{"v", 1}, {"type", "config.set"}, {"id", "c"}, {"settings", {{"dried_up_days", 0}}}};
  ExpectError(Decode(q), Code::kBadMessage, "settings.dried_up_days");
  q["settings"] = {{"unpaid_threshold", 100}};
  ExpectError(Decode(q), Code::kBadMessage, "settings.unpaid_threshold");
  q["settings"] = {{"nope", 1}};
  ExpectError(Decode(q), Code::kBadMessage, "settings.nope");
  q["settings"] = {{"dried_up_days", 3}};
  q["platform"] = "prolific";
  ExpectError(Decode(q), Code::kBadMessage, "account");
}

TEST(Decode, HugeNumbersAreRefused) {
  ExpectError(DecodeRequest(R"({"v":1,"id":"h","type":"heartbeat","platform":"p","account":"a","at":"2026-07-14T09:30:00Z","tasks_available":1e999})", kNow),
              Code::kBadJson, "");
  auto big = DecodeRequest(R"({"v":1,"id":"h","type":"heartbeat","platform":"p","account":"a","at":"2026-07-14T09:30:00Z","tasks_available":99999999999999999999})", kNow);
  EXPECT_EQ(big.status.code(), Code::kBadMessage);
  EXPECT_EQ(big.status.field(), "tasks_available");
}

// A made-up key is named in the error, but only its first characters: a 100 KiB key must not come back as a
// 200 KiB error reply (the fuzzer found that one; tests/fuzz/corpus/fuzz_decode/long-unknown-field.json).
TEST(Decode, AHostileFieldNameIsNotEchoedWhole) {
  const std::string key = "li" + std::string(100000, '_');
  json alerts{{"v", 1}, {"type", "query.alerts"}, {"id", "q-1"}, {"state", "open"}, {key, 0}};
  DecodeOutcome unknown = Decode(alerts);
  EXPECT_EQ(unknown.status.code(), Code::kBadMessage);
  EXPECT_LE(unknown.status.field().size(), kMaxFieldNameBytes);
  EXPECT_EQ(unknown.status.field().rfind("li___", 0), 0u) << "the name still starts as sent";
  EXPECT_LT(Serialize(ErrorReply(std::string("q-1"), unknown.status)).size(), 512u);

  const std::string twice = R"({"v":1,"type":"query.alerts","id":"q-2",")" + key + R"(":1,")" + key + R"(":2})";
  DecodeOutcome duplicate = DecodeRequest(twice, kNow);
  EXPECT_EQ(duplicate.status.code(), Code::kBadMessage) << "a key twice in one object";
  EXPECT_LT(Serialize(ErrorReply(std::string("q-2"), duplicate.status)).size(), 512u);
}

void ExpectSameOutcome(const std::string& frame) {
  SCOPED_TRACE(frame);
  DecodeOutcome fast = DecodeRequest(frame, kNow);
  DecodeOutcome document = DecodeRequestThroughDocument(frame, kNow);
  EXPECT_EQ(fast.re, document.re);
  EXPECT_EQ(fast.status.ToString(), document.status.ToString());
  ASSERT_EQ(fast.request.has_value(), document.request.has_value());
  if (!fast.request) return;
  EXPECT_EQ(fast.request->id, document.request->id);
  EXPECT_EQ(fast.request->type, document.request->type);
  const Event* a = std::get_if<Event>(&fast.request->body);
  const Event* b = std::get_if<Event>(&document.request->body);
  ASSERT_EQ(a != nullptr, b != nullptr);
  if (a != nullptr) {
    EXPECT_EQ(a->canonical, b->canonical);
    EXPECT_TRUE(*a == *b);
  }
}

// Events take the fast path (protocol/flat_json.h) unless it declines; whatever it decides, the outcome must be the
// document path's, down to the canonical body's bytes and the error's wording.
TEST(Decode, TheFastPathAndTheDocumentAgree) {
  std::vector<std::string> frames;
  for (json e : EveryEventType()) {
    FlatObject scanned;
    EXPECT_TRUE(ScanFlatObject(e.dump(), &scanned)) << "an ordinary event must take the fast path: " << e.dump();
    frames.push_back(e.dump());
    frames.push_back(e.dump(2));  // white space everywhere
    std::string reversed = "{";  // keys in the opposite order to the canonical one
    std::vector<std::string> members;
    for (const auto& [key, value] : e.items()) members.push_back(json(key).dump() + ":" + value.dump());
    for (auto it = members.rbegin(); it != members.rend(); ++it) reversed += (it == members.rbegin() ? "" : ",") + *it;
    frames.push_back(reversed + "}");
    e["title"] = "Say \"hi\" \\ to Caf\u00e9 \u2014 \U0001F600\n\tnow";  // one field too many for some types
    frames.push_back(e.dump());
    e["account"] = "two\nlines";
    frames.push_back(e.dump());
  }
  const std::string start = R"("v":1,"type":"task.start","id":"e-9","platform":"toloka","account":"w","task_id":"t")";
  for (const char* tail : {
           R"(,"at":"2026-07-14T09:30:00Z"})",
           R"(,"at":"2026-07-14T09:30:00Z","title":"a \"quoted\" \/ title","url":"https:\/\/x.test\/"})",
           R"(,"at":"2026-07-14T09:30:00Z","title":"\u0041 escaped with \\u"})",
           R"(,"at":"2026-07-14T09:30:00Z","rate":{"amount":"2.5","currency":"EUR","per":"task"}})",
           R"(,"at":"2026-07-14T09:30:00Z","rate":{"amount":2.5,"currency":"EUR","per":"task"}})",
           R"(,"at":"2026-07-14T09:30:00Z","rate":{"amount":"2.5","currency":"EUR"}})",
           R"(,"at":"2026-07-14T09:30:00Z","rate":{"amount":"2.5","currency":"EUR","per":"task","x":1}})",
           R"(,"at":"2026-07-14T09:30:00Z","rate":{}})",
           R"(,"at":"2026-07-14T09:30:00Z","title":""})",
           R"(,"at":"2026-07-14T09:30:00Z","title":null})",
           R"(,"at":"2026-07-14T09:30:00Z","extra":true})",
           R"(,"at":"2026-07-14T09:30:00Z","at":"2026-07-14T09:30:00Z"})",
           R"(,"at":"2099-01-01T00:00:00Z"})",
           R"(,"at":"not a time"})",
           R"(})",
       }) {
    frames.push_back("{" + start + tail);
  }
  frames.push_back(R"({"v":2,"type":"heartbeat","id":"h","platform":"p","account":"a","at":"2026-07-14T09:30:00Z"})");
  frames.push_back(R"({"v":1,"type":"heartbeat","id":"h h","platform":"p","account":"a","at":"2026-07-14T09:30:00Z"})");
  frames.push_back(R"({"v":1,"type":"heartbeat","id":"h","platform":"P","account":"a","at":"2026-07-14T09:30:00Z"})");
  frames.push_back(R"({"v":1,"type":"heartbeat","id":"h","platform":"p","account":"a","at":"2026-07-14T09:30:00Z",)"
                   R"("tasks_available":1000001,"focused":1})");
  frames.push_back(R"({"v":1,"type":"no.such","id":"h","platform":"p","account":"a","at":"2026-07-14T09:30:00Z"})");
  frames.push_back(R"({"v":1,"type":"ping","id":"p"})");
  frames.push_back(R"({"v":1,"type":"query.summary","id":"q","platform":"p","account":"a"})");
  for (const std::string& frame : frames) ExpectSameOutcome(frame);
}

}  // namespace
}  // namespace temoin::protocol
