#include "rules/rule.h"

#include "protocol/money.h"

namespace temoin::rules {

std::vector<std::unique_ptr<Rule>> AllRules() {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(MakeBalanceVanishedRule());
  rules.push_back(MakeBalanceDroppedRule());
  rules.push_back(MakeAccountLockedRule());
  rules.push_back(MakeAccessLostRule());
  rules.push_back(MakeTasksDriedUpRule());
  rules.push_back(MakeNoContactRule());
  rules.push_back(MakeUnpaidExposureRule());
  return rules;
}

std::optional<store::AccountRow> AccountRowOf(const AccountContext& ctx) {
  if (ctx.account_row != nullptr) return *ctx.account_row;
  return store::ReadAccountRow(ctx.db, ctx.platform, ctx.account);
}

std::string FormatMoney(std::int64_t minor, const std::string& currency) {
  return protocol::FormatAmount(minor, protocol::CurrencyExponent(currency).value_or(2)) + " " + currency;
}

std::string FormatDuration(std::int64_t ms) {
  constexpr std::int64_t kHour = 3'600'000, kDay = 24 * kHour;
  if (ms >= 2 * kDay && ms % kDay == 0) return std::to_string(ms / kDay) + " days";
  if (ms >= 2 * kDay) return "more than " + std::to_string(ms / kDay) + " days";
  std::int64_t hours = ms / kHour;
  return std::to_string(hours) + (hours == 1 ? " hour" : " hours");
}

}  // namespace temoin::rules
