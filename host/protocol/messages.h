// The typed messages of contract v1 (docs/protocol.md), as the decoder hands them to the rest of the host.
// Every value here has been validated: strings are within their caps, money is in minor units of a known
// currency, times are parsed. An Event also keeps its canonical JSON, which the log stores and the hash chain
// covers.
#ifndef TEMOIN_PROTOCOL_MESSAGES_H_
#define TEMOIN_PROTOCOL_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "platform/clock.h"

namespace temoin::protocol {

inline constexpr int kContractVersion = 1;

enum class EventType {
  kTaskStart,
  kTaskSubmit,
  kTaskAbandon,
  kBalance,
  kBalanceMissing,
  kPayout,
  kAccountStatus,
  kHeartbeat,
};

// "task.start" <-> EventType::kTaskStart.
std::string_view EventTypeName(EventType type);
std::optional<EventType> EventTypeFromName(std::string_view name);

struct Money {
  std::int64_t minor = 0;  // integer minor units (cents)
  std::string currency;    // ISO 4217
  int exponent = 2;        // the currency's decimals

  std::string Decimal() const;  // "1312.50"

  bool operator==(const Money&) const = default;
};

struct Rate {
  Money money;
  bool per_hour = true;  // "hour", else "task"

  bool operator==(const Rate&) const = default;
};

// One observation from a platform page. Fields that a type does not have stay empty.
struct Event {
  EventType type;
  std::string id;
  std::string platform;
  std::string account;
  std::string at_text;  // `at` as the page gave it
  EpochMs at = 0;

  std::string task_id;                    // task.*
  std::optional<std::string> project;     // task.start
  std::optional<std::string> title;       // task.start
  std::optional<std::string> url;         // task.start, heartbeat
  std::optional<Rate> rate;               // task.start
  std::optional<std::int64_t> duration_s; // task.submit
  std::optional<Money> earned;            // task.submit
  std::optional<Money> amount;            // balance, payout
  std::optional<Money> pending;           // balance
  std::optional<std::string> currency;    // balance.missing
  std::optional<std::string> detail;      // balance.missing, account.status
  std::optional<std::string> method;      // payout
  std::optional<std::string> reference;   // payout
  std::string state;                      // account.status
  std::optional<std::int64_t> tasks_available;  // heartbeat
  std::optional<bool> focused;                  // heartbeat

  std::string canonical;   // its canonical JSON (docs/protocol.md, "The log and its chain")

  bool operator==(const Event&) const = default;
};

struct Ping {};

struct SummaryQuery {
  std::optional<std::string> platform;
  std::optional<std::string> account;
};

struct BalanceHistoryQuery {
  std::string platform;
  std::string account;
  std::string currency;
  int days = 30;
};

struct EventsQuery {
  std::optional<std::string> platform;
  std::optional<std::string> account;
  std::optional<std::string> type;
  std::optional<EpochMs> since;
  std::optional<EpochMs> until;
  std::int64_t after_seq = 0;
  int limit = 100;
};

struct AlertsQuery {
  bool open_only = true;
  std::optional<std::string> platform;
  std::optional<std::string> account;
  std::int64_t after_id = 0;
  int limit = 100;
};

struct AlertAck {
  std::int64_t alert_id = 0;
};

// An account scope: both set, or neither (the defaults for every account).
struct AccountScope {
  std::optional<std::string> platform;
  std::optional<std::string> account;
};

struct ConfigGet {
  AccountScope scope;
};

struct ConfigSet {
  AccountScope scope;
  nlohmann::json settings;  // validated against the settings table (protocol/alert_settings.h)
};

struct ExportRequest {
  std::string platform;
  std::string account;
  std::optional<EpochMs> since;
  std::optional<EpochMs> until;
  std::string lang = "en";
};

using RequestBody = std::variant<Event, Ping, SummaryQuery, BalanceHistoryQuery, EventsQuery, AlertsQuery,
                                 AlertAck, ConfigGet, ConfigSet, ExportRequest>;

struct Request {
  std::string id;
  std::string type;
  RequestBody body;
};

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_MESSAGES_H_
