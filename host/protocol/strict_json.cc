#include "protocol/strict_json.h"

#include <vector>

namespace temoin::protocol {

namespace {

using json = nlohmann::json;

// Builds the document itself so that it can see each key as it arrives (nlohmann's own DOM builder silently
// keeps the last duplicate).
class StrictBuilder final : public nlohmann::json_sax<json> {
 public:
  explicit StrictBuilder(json* root) : root_(root) {}

  bool null() override { return Put(json(nullptr)); }
  bool boolean(bool v) override { return Put(json(v)); }
  bool number_integer(number_integer_t v) override { return Put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Put(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Put(json(v)); }
  bool string(string_t& v) override { return Put(json(std::move(v))); }
  bool binary(binary_t&) override { return Fail(Status(Code::kBadJson, "binary values are not JSON")); }

  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& k) override {
    json& object = *stack_.back();
    if (object.contains(k)) {
      return Fail(BadMessage(Path(k), "the key appears twice in one object"));
    }
    pending_key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    std::string why = e.what();
    // nlohmann's message ends with "; last read: '<input>'": drop the echo of hostile input.
    if (auto cut = why.find("; last read"); cut != std::string::npos) why.erase(cut);
    if (auto colon = why.find("] "); colon != std::string::npos) why.erase(0, colon + 2);
    return Fail(Status(Code::kBadJson, "not valid JSON (byte " + std::to_string(position) + "): " + why));
  }

  const Status& error() const { return error_; }

 private:
  bool Put(json value) {
    if (stack_.empty()) {
      *root_ = std::move(value);
      return true;
    }
    json& parent = *stack_.back();
    if (parent.is_object()) {
      parent[pending_key_] = std::move(value);
    } else {
      parent.push_back(std::move(value));
    }
    return true;
  }

  bool Open(json container) {
    if (static_cast<int>(stack_.size()) >= kMaxJsonDepth) {
      return Fail(Status(Code::kBadJson, "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"));
    }
    json* slot;
    if (stack_.empty()) {
      *root_ = std::move(container);
      slot = root_;
    } else {
      json& parent = *stack_.back();
      if (parent.is_object()) {
        keys_.push_back(pending_key_);
        slot = &(parent[pending_key_] = std::move(container));
      } else {
        keys_.push_back(std::to_string(parent.size()));
        parent.push_back(std::move(container));
        slot = &parent.back();
      }
    }
    stack_.push_back(slot);
    return true;
  }

  bool Close() {
    stack_.pop_back();
    if (!keys_.empty()) keys_.pop_back();
    return true;
  }

  std::string Path(const std::string& key) const {
    std::string path;
    for (const auto& k : keys_) path += k + ".";
    return path + key;
  }

  bool Fail(Status status) {
    if (error_.ok()) error_ = std::move(status);
    return false;
  }

  json* root_;
  std::vector<json*> stack_;
  std::vector<std::string> keys_;
  std::string pending_key_;
  Status error_;
};

}  // namespace

Result<nlohmann::json> ParseStrictJson(std::string_view text) {
  if (text.empty()) return Status(Code::kBadJson, "empty message: a frame must hold a JSON object");
  json root;
  StrictBuilder builder(&root);
  bool ok = json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json, true, false);
  if (!ok || !builder.error().ok()) {
    if (!builder.error().ok()) return builder.error();
    return Status(Code::kBadJson, "not valid JSON");
  }
  return root;
}

}  // namespace temoin::protocol
