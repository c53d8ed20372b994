// store::ScanBodyFields against nlohmann::json::parse, the reader it stands in for in `temoin verify` and
// `temoin export`: whenever the scanner answers, nlohmann must accept the same bytes as a JSON object and read
// the same five fields (id, type, platform, account, at; "" where missing or not a string). The scanner may
// decline anything (nlohmann then decides), so a "false" is never a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "store/body_fields.h"

namespace {

std::string Field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  temoin::store::BodyFields fields;
  if (!temoin::store::ScanBodyFields(body, &fields)) return 0;
  auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  FUZZ_CHECK(!j.is_discarded() && j.is_object(), "the scanner read what nlohmann refuses: %.*s",
             static_cast<int>(size), body.data());
  FUZZ_CHECK(fields.id == Field(j, "id"), "id differs");
  FUZZ_CHECK(fields.type == Field(j, "type"), "type differs");
  FUZZ_CHECK(fields.platform == Field(j, "platform"), "platform differs");
  FUZZ_CHECK(fields.account == Field(j, "account"), "account differs");
  FUZZ_CHECK(fields.at == Field(j, "at"), "at differs");
  return 0;
}
