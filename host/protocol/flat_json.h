// Reading an event's frame without building a JSON document: the decoder's fast path (docs/performance.md,
// "Decoding without a document"). An event is a JSON object of strings, integers and booleans, with at most
// one level of nested objects (`rate`, `earned`) of the same. nlohmann's parse into a tree (a map node and a
// string per value), then its dump for the canonical body, cost about a quarter of the host's instructions
// per event; this reader keeps views into the frame instead.
//
// Like store/body_fields.h, it is a fast path, never a second opinion: it answers only for objects it reads with
// certainty the way the strict parser (protocol/strict_json.h) reads them, and declines (ScanFlatObject returns
// false) anything else, valid or not, for the full decoder to judge: a \u escape, an escaped key, a key given twice,
// null, arrays, nesting below one object, a number that is not a plain non-negative integer of at most 15 digits, a
// control or DEL character, invalid UTF-8, more keys than the limits below. Errors therefore always come from the
// full decoder, with its messages.
#ifndef TEMOIN_PROTOCOL_FLAT_JSON_H_
#define TEMOIN_PROTOCOL_FLAT_JSON_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace temoin::protocol {

// Keys at the top level, and in all nested objects together. An event has at most 11 and 3.
inline constexpr std::size_t kMaxFlatEntries = 24;
inline constexpr std::size_t kMaxFlatNestedEntries = 16;

struct FlatEntry;

// The entries of one object, in the order of the text.
struct FlatObjectView {
  const FlatEntry* entries = nullptr;
  std::size_t size = 0;

  const FlatEntry* begin() const;
  const FlatEntry* end() const;
};

struct FlatValue {
  enum class Kind { kString, kInteger, kBoolean, kObject };
  Kind kind = Kind::kString;
  std::string_view string;   // kString: the value, escapes decoded
  bool had_escapes = false;  // kString: false means `string` is the text between the quotes, as JSON writes it
  std::int64_t integer = 0;  // kInteger: 0 to 10^15 - 1
  bool boolean = false;      // kBoolean
  FlatObjectView object;     // kObject
};

struct FlatEntry {
  std::string_view key;
  FlatValue value;
};

inline const FlatEntry* FlatObjectView::begin() const { return entries; }
inline const FlatEntry* FlatObjectView::end() const { return entries + size; }

// One scanned object. Its views point into the scanned text and into `decoded_`, so it must not outlive the
// text, and it is neither copied nor moved (the views would dangle).
class FlatObject {
 public:
  FlatObject() = default;
  FlatObject(const FlatObject&) = delete;
  FlatObject& operator=(const FlatObject&) = delete;

  FlatObjectView top() const { return {top_.data(), top_size_}; }

  // The compact JSON with keys sorted at every level: byte for byte what nlohmann's dump() writes for the
  // same value, which is what the log stores and the chain hashes.
  std::string Canonical() const;

 private:
  friend bool ScanFlatObject(std::string_view text, FlatObject* out);

  std::array<FlatEntry, kMaxFlatEntries> top_{};
  std::array<FlatEntry, kMaxFlatNestedEntries> nested_{};  // each nested object's entries, a run each
  std::size_t top_size_ = 0;
  std::size_t nested_size_ = 0;
  std::size_t text_size_ = 0;  // the canonical text is never longer: it drops white space, keeps each escape
  std::string decoded_;  // strings that held escapes, decoded; reserved once so views into it stay valid
};

// True when `text` is certainly one JSON object of the shape above (white space around it allowed), with *out
// holding it; false means "not certain": decode the text with the full decoder.
bool ScanFlatObject(std::string_view text, FlatObject* out);

// The entry for `key` in `object`, or nullptr.
const FlatValue* FindFlat(FlatObjectView object, std::string_view key);

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_FLAT_JSON_H_
