#include "protocol/decode.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>
#include <vector>

#include "protocol/alert_settings.h"
#include "protocol/flat_json.h"
#include "protocol/money.h"
#include "protocol/strict_json.h"
#include "protocol/timestamp.h"

namespace temoin::protocol {

namespace {

using json = nlohmann::json;

// The largest integer a JSON number can carry exactly in every client (2^53).
constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53);

std::size_t CountCodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool HasControlCharacter(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// What Fields reads a value through: a JSON document's (queries, and events the fast path declined) or a
// FlatObject's (protocol/flat_json.h). The same checks run on both, so the two paths cannot disagree on what
// they accept.
bool IsString(const json& v) { return v.is_string(); }
bool IsString(const FlatValue& v) { return v.kind == FlatValue::Kind::kString; }
std::string_view StringOf(const json& v) { return v.get_ref<const std::string&>(); }
std::string_view StringOf(const FlatValue& v) { return v.string; }
bool IsInteger(const json& v) { return v.is_number_integer(); }
bool IsInteger(const FlatValue& v) { return v.kind == FlatValue::Kind::kInteger; }
bool IsBeyondSafeInteger(const json& v) {
  return v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxSafeInteger);
}
bool IsBeyondSafeInteger(const FlatValue&) { return false; }  // the scanner reads at most 15 digits
std::int64_t IntegerOf(const json& v) { return v.get<std::int64_t>(); }
std::int64_t IntegerOf(const FlatValue& v) { return v.integer; }
bool IsBoolean(const json& v) { return v.is_boolean(); }
bool IsBoolean(const FlatValue& v) { return v.kind == FlatValue::Kind::kBoolean; }
bool BooleanOf(const json& v) { return v.get<bool>(); }
bool BooleanOf(const FlatValue& v) { return v.boolean; }
bool IsObject(const json& v) { return v.is_object(); }
bool IsObject(const FlatValue& v) { return v.kind == FlatValue::Kind::kObject; }

// The object a value holds, and a field of an object.
const json* ObjectOf(const json& v) { return &v; }
FlatObjectView ObjectOf(const FlatValue& v) { return v.object; }
const json* FindIn(const json* object, std::string_view key) {
  auto it = object->find(key);
  return it == object->end() ? nullptr : &*it;
}
const FlatValue* FindIn(FlatObjectView object, std::string_view key) { return FindFlat(object, key); }
template <class Visit>
void ForEachKey(const json* object, Visit visit) {
  for (const auto& [key, value] : object->items()) visit(std::string_view(key));
}
template <class Visit>
void ForEachKey(FlatObjectView object, Visit visit) {
  for (const FlatEntry& entry : object) visit(entry.key);
}

// Reads the fields of one JSON object, remembering which were read, so that anything left over is an
// unknown field. Each getter returns a Status naming the field (with `prefix` for nested objects).
template <class Value>
class Fields {
 public:
  using ObjectRef = decltype(ObjectOf(std::declval<const Value&>()));

  explicit Fields(ObjectRef object, std::string prefix = "") : object_(object), prefix_(std::move(prefix)) {}

  std::string Name(std::string_view key) const { return prefix_ + std::string(key); }

  // `key` is one of the contract's field names, a string literal: it is kept as a view.
  const Value* Find(std::string_view key) {
    bool asked = std::find(seen_.begin(), seen_.begin() + seen_count_, key) != seen_.begin() + seen_count_;
    // Past the array, a name is not remembered and NoOthers calls it unknown: a message type with more fields
    // fails its tests at once, instead of writing past the end.
    if (!asked && seen_count_ < seen_.size()) seen_[seen_count_++] = key;
    return FindIn(object_, key);
  }

  Status String(std::string_view key, bool required, std::size_t max_bytes, std::optional<std::string>* out) {
    const Value* v = Find(key);
    if (v == nullptr) return required ? BadMessage(Name(key), "is required") : Status::Ok();
    if (!IsString(*v)) return BadMessage(Name(key), "must be a string");
    std::string_view s = StringOf(*v);
    if (s.empty()) return BadMessage(Name(key), "must not be empty");
    if (s.size() > max_bytes) {
      return BadMessage(Name(key), "is longer than " + std::to_string(max_bytes) + " bytes");
    }
    if (s.find('\0') != std::string::npos) return BadMessage(Name(key), "must not contain NUL");
    *out = std::string(s);
    return Status::Ok();
  }

  Status RequiredString(std::string_view key, std::size_t max_bytes, std::string* out) {
    std::optional<std::string> value;
    TEMOIN_RETURN_IF_ERROR(String(key, true, max_bytes, &value));
    *out = std::move(*value);
    return Status::Ok();
  }

  Status Integer(std::string_view key, bool required, std::int64_t min, std::int64_t max,
                 std::optional<std::int64_t>* out) {
    const Value* v = Find(key);
    if (v == nullptr) return required ? BadMessage(Name(key), "is required") : Status::Ok();
    if (!IsInteger(*v)) return BadMessage(Name(key), "must be an integer");
    if (IsBeyondSafeInteger(*v)) return BadMessage(Name(key), "is out of range");
    std::int64_t n = IntegerOf(*v);
    if (n < min || n > max) {
      return BadMessage(Name(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    *out = n;
    return Status::Ok();
  }

  Status Boolean(std::string_view key, std::optional<bool>* out) {
    const Value* v = Find(key);
    if (v == nullptr) return Status::Ok();
    if (!IsBoolean(*v)) return BadMessage(Name(key), "must be true or false");
    *out = BooleanOf(*v);
    return Status::Ok();
  }

  Status Enum(std::string_view key, bool required, std::initializer_list<std::string_view> allowed,
              std::optional<std::string>* out) {
    TEMOIN_RETURN_IF_ERROR(String(key, required, 64, out));
    if (!out->has_value()) return Status::Ok();
    for (std::string_view a : allowed) {
      if (**out == a) return Status::Ok();
    }
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return BadMessage(Name(key), "must be one of " + list);
  }

  Status Currency(std::string_view key, bool required, std::optional<std::string>* out, int* exponent) {
    const Value* v = Find(key);
    if (v == nullptr) return required ? BadMessage(Name(key), "is required") : Status::Ok();
    if (!IsString(*v)) return BadMessage(Name(key), "must be a string");
    std::string_view code = StringOf(*v);
    auto exp = CurrencyExponent(code);
    if (!exp) return BadMessage(Name(key), "is not an ISO 4217 currency code in capitals (such as \"USD\")");
    *out = std::string(code);
    if (exponent != nullptr) *exponent = *exp;
    return Status::Ok();
  }

  // An amount in a currency whose exponent is known.
  Status Amount(std::string_view key, bool required, int exponent, std::optional<std::int64_t>* out) {
    const Value* v = Find(key);
    if (v == nullptr) return required ? BadMessage(Name(key), "is required") : Status::Ok();
    if (!IsString(*v)) return BadMessage(Name(key), "must be a decimal string such as \"12.50\", not a number");
    auto minor = ParseAmount(StringOf(*v), exponent);
    if (!minor.ok()) return BadMessage(Name(key), minor.status().message());
    *out = *minor;
    return Status::Ok();
  }

  Status Time(std::string_view key, bool required, std::optional<EpochMs>* out, std::string* text = nullptr) {
    const Value* v = Find(key);
    if (v == nullptr) return required ? BadMessage(Name(key), "is required") : Status::Ok();
    if (!IsString(*v)) return BadMessage(Name(key), "must be an RFC 3339 time string");
    auto at = ParseRfc3339(StringOf(*v));
    if (!at.ok()) return BadMessage(Name(key), at.status().message());
    *out = *at;
    if (text != nullptr) *text = std::string(StringOf(*v));
    return Status::Ok();
  }

  // A nested object; its value is returned through `out` (nullptr when absent and optional).
  Status Object(std::string_view key, bool required, const Value** out) {
    const Value* v = Find(key);
    *out = nullptr;
    if (v == nullptr) return required ? BadMessage(Name(key), "is required") : Status::Ok();
    if (!IsObject(*v)) return BadMessage(Name(key), "must be an object");
    *out = v;
    return Status::Ok();
  }

  // Fails on the first field that no getter asked for.
  Status NoOthers() const {
    std::optional<std::string_view> unknown;
    ForEachKey(object_, [&](std::string_view key) {
      if (!unknown && std::find(seen_.begin(), seen_.begin() + seen_count_, key) == seen_.begin() + seen_count_) {
        unknown = key;
      }
    });
    return unknown ? BadMessage(Name(*unknown), "is not a field of this message") : Status::Ok();
  }

 private:
  ObjectRef object_;
  std::string prefix_;
  // The names asked for, literals all: no message type asks for more than a dozen (a set cost an allocation
  // per lookup, a vector one per message).
  std::array<std::string_view, 32> seen_;
  std::size_t seen_count_ = 0;
};

template <class Value>
Status ReadMoneyObject(Fields<Value>& parent, std::string_view key, bool required, bool with_per,
                       std::optional<Money>* out, bool* per_hour = nullptr) {
  const Value* object;
  TEMOIN_RETURN_IF_ERROR(parent.Object(key, required, &object));
  if (object == nullptr) return Status::Ok();
  Fields<Value> fields(ObjectOf(*object), parent.Name(key) + ".");
  std::optional<std::string> currency;
  int exponent = 2;
  // The currency decides how many decimals the amount may have, so it is read first; a missing currency is
  // reported before a bad amount.
  std::optional<std::int64_t> minor;
  const Value* amount_json = fields.Find("amount");
  TEMOIN_RETURN_IF_ERROR(fields.Currency("currency", true, &currency, &exponent));
  if (amount_json == nullptr) return BadMessage(fields.Name("amount"), "is required");
  TEMOIN_RETURN_IF_ERROR(fields.Amount("amount", true, exponent, &minor));
  if (with_per) {
    std::optional<std::string> per;
    TEMOIN_RETURN_IF_ERROR(fields.Enum("per", true, {"hour", "task"}, &per));
    *per_hour = *per == "hour";
  }
  TEMOIN_RETURN_IF_ERROR(fields.NoOthers());
  *out = Money{*minor, *currency, exponent};
  return Status::Ok();
}

template <class Value>
Status ReadPlatform(Fields<Value>& f, bool required, std::optional<std::string>* out) {
  TEMOIN_RETURN_IF_ERROR(f.String("platform", required, 32, out));
  if (*out && !IsValidPlatform(**out)) {
    return BadMessage("platform", "must be a slug of 1-32 characters among a-z, 0-9 and '-'");
  }
  return Status::Ok();
}

template <class Value>
Status ReadAccount(Fields<Value>& f, bool required, std::optional<std::string>* out) {
  TEMOIN_RETURN_IF_ERROR(f.String("account", required, kMaxAccountChars * 4, out));
  if (*out && (CountCodePoints(**out) > kMaxAccountChars || HasControlCharacter(**out))) {
    return BadMessage("account", "must be 1-128 characters without control characters");
  }
  return Status::Ok();
}

Status ReadScope(Fields<json>& f, AccountScope* scope) {
  TEMOIN_RETURN_IF_ERROR(ReadPlatform(f, false, &scope->platform));
  TEMOIN_RETURN_IF_ERROR(ReadAccount(f, false, &scope->account));
  if (scope->platform.has_value() != scope->account.has_value()) {
    return BadMessage(scope->platform ? "account" : "platform", "platform and account go together");
  }
  return Status::Ok();
}

template <class Value>
Status DecodeEvent(EventType type, Fields<Value>& f, EpochMs now, Event* e) {
  e->type = type;
  std::optional<std::string> platform, account;
  TEMOIN_RETURN_IF_ERROR(ReadPlatform(f, true, &platform));
  TEMOIN_RETURN_IF_ERROR(ReadAccount(f, true, &account));
  e->platform = *platform;
  e->account = *account;
  std::optional<EpochMs> at;
  TEMOIN_RETURN_IF_ERROR(f.Time("at", true, &at, &e->at_text));
  if (*at < kEarliestEventMs) return BadMessage("at", "is before the year 2000");
  if (*at > now + kMaxClockAheadMs) return BadMessage("at", "is more than a day ahead of this computer's clock");
  e->at = *at;

  switch (type) {
    case EventType::kTaskStart: {
      TEMOIN_RETURN_IF_ERROR(f.RequiredString("task_id", kMaxTaskIdBytes, &e->task_id));
      TEMOIN_RETURN_IF_ERROR(f.String("project", false, kMaxProjectBytes, &e->project));
      TEMOIN_RETURN_IF_ERROR(f.String("title", false, kMaxTitleBytes, &e->title));
      TEMOIN_RETURN_IF_ERROR(f.String("url", false, kMaxUrlBytes, &e->url));
      std::optional<Money> rate;
      bool per_hour = true;
      TEMOIN_RETURN_IF_ERROR(ReadMoneyObject(f, "rate", false, true, &rate, &per_hour));
      if (rate) e->rate = Rate{*rate, per_hour};
      break;
    }
    case EventType::kTaskSubmit:
      TEMOIN_RETURN_IF_ERROR(f.RequiredString("task_id", kMaxTaskIdBytes, &e->task_id));
      TEMOIN_RETURN_IF_ERROR(f.Integer("duration_s", false, 0, kMaxTaskDurationS, &e->duration_s));
      TEMOIN_RETURN_IF_ERROR(ReadMoneyObject(f, "earned", false, false, &e->earned));
      break;
    case EventType::kTaskAbandon:
      TEMOIN_RETURN_IF_ERROR(f.RequiredString("task_id", kMaxTaskIdBytes, &e->task_id));
      break;
    case EventType::kBalance:
    case EventType::kPayout: {
      std::optional<std::string> currency;
      int exponent = 2;
      const Value* amount_json = f.Find("amount");
      TEMOIN_RETURN_IF_ERROR(f.Currency("currency", true, &currency, &exponent));
      if (amount_json == nullptr) return BadMessage("amount", "is required");
      std::optional<std::int64_t> minor;
      TEMOIN_RETURN_IF_ERROR(f.Amount("amount", true, exponent, &minor));
      e->amount = Money{*minor, *currency, exponent};
      if (type == EventType::kBalance) {
        std::optional<std::int64_t> pending;
        TEMOIN_RETURN_IF_ERROR(f.Amount("pending", false, exponent, &pending));
        if (pending) e->pending = Money{*pending, *currency, exponent};
      } else {
        TEMOIN_RETURN_IF_ERROR(f.String("method", false, kMaxMethodBytes, &e->method));
        TEMOIN_RETURN_IF_ERROR(f.String("reference", false, kMaxReferenceBytes, &e->reference));
      }
      break;
    }
    case EventType::kBalanceMissing:
      TEMOIN_RETURN_IF_ERROR(f.Currency("currency", false, &e->currency, nullptr));
      TEMOIN_RETURN_IF_ERROR(f.String("detail", false, kMaxDetailBytes, &e->detail));
      break;
    case EventType::kAccountStatus: {
      std::optional<std::string> state;
      TEMOIN_RETURN_IF_ERROR(
          f.Enum("state", true, {"active", "logged_out", "locked", "suspended", "unreachable"}, &state));
      e->state = *state;
      TEMOIN_RETURN_IF_ERROR(f.String("detail", false, kMaxDetailBytes, &e->detail));
      break;
    }
    case EventType::kHeartbeat:
      TEMOIN_RETURN_IF_ERROR(f.String("url", false, kMaxUrlBytes, &e->url));
      TEMOIN_RETURN_IF_ERROR(f.Integer("tasks_available", false, 0, kMaxTasksAvailable, &e->tasks_available));
      TEMOIN_RETURN_IF_ERROR(f.Boolean("focused", &e->focused));
      break;
  }
  return Status::Ok();
}

int ToInt(const std::optional<std::int64_t>& v, int fallback) { return v ? static_cast<int>(*v) : fallback; }

Status DecodeQuery(std::string_view type, Fields<json>& f, RequestBody* body) {
  if (type == "ping") {
    *body = Ping{};
  } else if (type == "query.summary") {
    SummaryQuery q;
    TEMOIN_RETURN_IF_ERROR(ReadPlatform(f, false, &q.platform));
    TEMOIN_RETURN_IF_ERROR(ReadAccount(f, false, &q.account));
    *body = std::move(q);
  } else if (type == "query.balance_history") {
    BalanceHistoryQuery q;
    std::optional<std::string> platform, account, currency;
    std::optional<std::int64_t> days;
    TEMOIN_RETURN_IF_ERROR(ReadPlatform(f, true, &platform));
    TEMOIN_RETURN_IF_ERROR(ReadAccount(f, true, &account));
    TEMOIN_RETURN_IF_ERROR(f.Currency("currency", true, &currency, nullptr));
    TEMOIN_RETURN_IF_ERROR(f.Integer("days", false, 1, 366, &days));
    q.platform = *platform;
    q.account = *account;
    q.currency = *currency;
    q.days = ToInt(days, 30);
    *body = std::move(q);
  } else if (type == "query.events") {
    EventsQuery q;
    std::optional<std::int64_t> after, limit;
    TEMOIN_RETURN_IF_ERROR(ReadPlatform(f, false, &q.platform));
    TEMOIN_RETURN_IF_ERROR(ReadAccount(f, false, &q.account));
    TEMOIN_RETURN_IF_ERROR(f.String("event_type", false, 32, &q.type));
    if (q.type && !EventTypeFromName(*q.type)) return BadMessage("event_type", "is not an event type");
    TEMOIN_RETURN_IF_ERROR(f.Time("since", false, &q.since));
    TEMOIN_RETURN_IF_ERROR(f.Time("until", false, &q.until));
    TEMOIN_RETURN_IF_ERROR(f.Integer("after_seq", false, 0, kMaxSafeInteger, &after));
    TEMOIN_RETURN_IF_ERROR(f.Integer("limit", false, 1, 1000, &limit));
    q.after_seq = after.value_or(0);
    q.limit = ToInt(limit, 100);
    *body = std::move(q);
  } else if (type == "query.alerts") {
    AlertsQuery q;
    std::optional<std::string> state;
    std::optional<std::int64_t> after, limit;
    TEMOIN_RETURN_IF_ERROR(f.Enum("state", false, {"open", "all"}, &state));
    TEMOIN_RETURN_IF_ERROR(ReadPlatform(f, false, &q.platform));
    TEMOIN_RETURN_IF_ERROR(ReadAccount(f, false, &q.account));
    TEMOIN_RETURN_IF_ERROR(f.Integer("after_id", false, 0, kMaxSafeInteger, &after));
    TEMOIN_RETURN_IF_ERROR(f.Integer("limit", false, 1, 500, &limit));
    q.open_only = state.value_or("open") == "open";
    q.after_id = after.value_or(0);
    q.limit = ToInt(limit, 100);
    *body = std::move(q);
  } else if (type == "alert.ack") {
    std::optional<std::int64_t> id;
    TEMOIN_RETURN_IF_ERROR(f.Integer("alert_id", true, 1, kMaxSafeInteger, &id));
    *body = AlertAck{*id};
  } else if (type == "config.get") {
    ConfigGet q;
    TEMOIN_RETURN_IF_ERROR(ReadScope(f, &q.scope));
    *body = std::move(q);
  } else if (type == "config.set") {
    ConfigSet q;
    TEMOIN_RETURN_IF_ERROR(ReadScope(f, &q.scope));
    const json* settings;
    TEMOIN_RETURN_IF_ERROR(f.Object("settings", true, &settings));
    TEMOIN_RETURN_IF_ERROR(ValidateSettings(*settings));
    q.settings = *settings;
    *body = std::move(q);
  } else if (type == "export") {
    ExportRequest q;
    std::optional<std::string> platform, account, lang;
    TEMOIN_RETURN_IF_ERROR(ReadPlatform(f, true, &platform));
    TEMOIN_RETURN_IF_ERROR(ReadAccount(f, true, &account));
    TEMOIN_RETURN_IF_ERROR(f.Time("since", false, &q.since));
    TEMOIN_RETURN_IF_ERROR(f.Time("until", false, &q.until));
    TEMOIN_RETURN_IF_ERROR(f.Enum("lang", false, {"en", "fr"}, &lang));
    q.platform = *platform;
    q.account = *account;
    q.lang = lang.value_or("en");
    *body = std::move(q);
  } else {
    return Status(Code::kUnknownType, "unknown message type");
  }
  return Status::Ok();
}

bool IsKnownQuery(std::string_view type) {
  static const std::set<std::string_view> kQueries = {"ping", "query.summary", "query.balance_history",
                                                      "query.events", "query.alerts", "alert.ack",
                                                      "config.get", "config.set", "export"};
  return kQueries.count(type) > 0;
}

// The fast path for events (protocol/flat_json.h). It answers only when the event is accepted; for anything else
// (a query, a declined scan, any failed check) it says nullopt and the document path judges the frame, so that
// every error comes from one place with one wording.
std::optional<DecodeOutcome> DecodeEventWithoutDocument(std::string_view frame, EpochMs now) {
  FlatObject message;
  if (!ScanFlatObject(frame, &message)) return std::nullopt;
  Fields<FlatValue> f(message.top());
  const FlatValue* v = f.Find("v");
  const FlatValue* id = f.Find("id");
  const FlatValue* type_name = f.Find("type");
  if (v == nullptr || !IsInteger(*v) || IntegerOf(*v) != kContractVersion) return std::nullopt;
  if (id == nullptr || !IsString(*id) || !IsValidRequestId(StringOf(*id))) return std::nullopt;
  if (type_name == nullptr || !IsString(*type_name)) return std::nullopt;
  auto type = EventTypeFromName(StringOf(*type_name));
  if (!type) return std::nullopt;
  Event event;
  if (!DecodeEvent(*type, f, now, &event).ok() || !f.NoOthers().ok()) return std::nullopt;
  event.id = std::string(StringOf(*id));
  event.canonical = message.Canonical();
  DecodeOutcome out;
  out.re = event.id;
  out.request = Request{event.id, std::string(StringOf(*type_name)), std::move(event)};
  return out;
}

}  // namespace

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdChars) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsValidPlatform(std::string_view platform) {
  if (platform.empty() || platform.size() > 32) return false;
  for (char c : platform) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

DecodeOutcome DecodeRequestThroughDocument(std::string_view frame, EpochMs now) {
  DecodeOutcome out;
  auto parsed = ParseStrictJson(frame);
  if (!parsed.ok()) {
    out.status = parsed.status();
    return out;
  }
  const json& message = *parsed;
  if (!message.is_object()) {
    out.status = BadMessage("", "a message must be a JSON object");
    return out;
  }
  Fields<json> f(&message);
  // The id is looked at first, without judging it, so that a reply about `v` can still name the request.
  if (const json* id = f.Find("id"); id != nullptr && id->is_string() && IsValidRequestId(id->get<std::string>())) {
    out.re = id->get<std::string>();
  }
  const json* v = f.Find("v");
  if (v == nullptr) {
    out.status = BadMessage("v", "is required (the contract version, 1)");
    return out;
  }
  if (!v->is_number_integer() || v->get<std::int64_t>() != kContractVersion) {
    out.status = Status(Code::kUnsupportedVersion, "this host speaks contract version 1", "v");
    return out;
  }
  const json* id = f.Find("id");
  if (id == nullptr) {
    out.status = BadMessage("id", "is required");
    return out;
  }
  if (!id->is_string() || !IsValidRequestId(id->get<std::string>())) {
    out.status = BadMessage("id", "must be 1-64 characters among A-Z a-z 0-9 . _ : -");
    return out;
  }
  const json* type_json = f.Find("type");
  if (type_json == nullptr) {
    out.status = BadMessage("type", "is required");
    return out;
  }
  if (!type_json->is_string()) {
    out.status = BadMessage("type", "must be a string");
    return out;
  }
  std::string type = type_json->get<std::string>();
  Request request;
  request.id = *out.re;
  request.type = type;
  Status status;
  if (auto event_type = EventTypeFromName(type)) {
    Event event;
    status = DecodeEvent(*event_type, f, now, &event);
    if (status.ok()) status = f.NoOthers();
    if (status.ok()) {
      event.id = request.id;
      event.canonical = message.dump();
      request.body = std::move(event);
    }
  } else if (IsKnownQuery(type)) {
    status = DecodeQuery(type, f, &request.body);
    if (status.ok()) status = f.NoOthers();
  } else {
    status = Status(Code::kUnknownType, "unknown message type (this host knows contract v1's types)", "type");
  }
  out.status = status;
  if (status.ok()) out.request = std::move(request);
  return out;
}

DecodeOutcome DecodeRequest(std::string_view frame, EpochMs now) {
  if (auto event = DecodeEventWithoutDocument(frame, now)) return std::move(*event);
  return DecodeRequestThroughDocument(frame, now);
}

}  // namespace temoin::protocol
