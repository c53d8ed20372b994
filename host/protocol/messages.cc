#include "protocol/messages.h"

#include <array>
#include <utility>

#include "protocol/money.h"

namespace temoin::protocol {

namespace {
constexpr std::array<std::pair<EventType, std::string_view>, 8> kEventNames = {{
    {EventType::kTaskStart, "task.start"},
    {EventType::kTaskSubmit, "task.submit"},
    {EventType::kTaskAbandon, "task.abandon"},
    {EventType::kBalance, "balance"},
    {EventType::kBalanceMissing, "balance.missing"},
    {EventType::kPayout, "payout"},
    {EventType::kAccountStatus, "account.status"},
    {EventType::kHeartbeat, "heartbeat"},
}};
}  // namespace

std::string_view EventTypeName(EventType type) {
  for (const auto& [t, name] : kEventNames) {
    if (t == type) return name;
  }
  return "unknown";
}

std::optional<EventType> EventTypeFromName(std::string_view name) {
  for (const auto& [t, n] : kEventNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

std::string Money::Decimal() const { return FormatAmount(minor, exponent); }

}  // namespace temoin::protocol

