#include "store/body_fields.h"

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/utf8.h"

namespace temoin::store {

namespace {

constexpr int kMaxDepth = 64;

// A read position in the body. Every function returns false for "not certain", and the whole scan gives up.
struct Cursor {
  const char* p;
  const char* end;

  bool at_end() const { return p >= end; }
  void SkipSpace() {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  }
};

// Bytes a string's scan must stop at: the closing quote, a backslash, control characters, DEL and every byte
// of a multi-byte sequence. Plain ASCII text is skipped by one table look-up a byte (most of a body's bytes).
constexpr std::array<bool, 256> kStop = [] {
  std::array<bool, 256> stop{};
  for (int b = 0; b < 256; ++b) stop[b] = b < 0x20 || b >= 0x7F || b == '"' || b == '\\';
  return stop;
}();

// A string from its opening quote. *raw: the bytes between the quotes; *escaped: whether they hold an escape
// (then *raw is not the string's value). \u escapes are left to nlohmann (lone surrogates are errors there).
bool String(Cursor& c, std::string_view* raw, bool* escaped) {
  ++c.p;
  const char* start = c.p;
  *escaped = false;
  while (c.p < c.end) {
    while (c.p < c.end && !kStop[static_cast<unsigned char>(*c.p)]) ++c.p;
    if (c.p >= c.end) break;
    unsigned char b = static_cast<unsigned char>(*c.p);
    if (b == '"') {
      *raw = std::string_view(start, static_cast<std::size_t>(c.p - start));
      ++c.p;
      return true;
    }
    if (b == '\\') {
      if (c.end - c.p < 2) return false;
      char e = c.p[1];
      if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') return false;
      *escaped = true;
      c.p += 2;
    } else if (b < 0x20 || b == 0x7F) {
      return false;
    } else if (b < 0x80) {
      ++c.p;
    } else {
      char32_t ignored;
      std::size_t len = DecodeUtf8(std::string_view(c.p, static_cast<std::size_t>(c.end - c.p)), 0, &ignored);
      if (len == 0) return false;
      c.p += len;
    }
  }
  return false;
}

bool IsDigit(char ch) { return ch >= '0' && ch <= '9'; }

// Integers and decimals without an exponent, at most 18 characters: nlohmann reads those exactly (an int64, or
// a finite double). Longer numbers and exponents may overflow, which nlohmann refuses.
bool Number(Cursor& c) {
  const char* start = c.p;
  if (*c.p == '-') ++c.p;
  if (c.at_end()) return false;
  if (*c.p == '0') {
    ++c.p;
  } else if (*c.p >= '1' && *c.p <= '9') {
    while (c.p < c.end && IsDigit(*c.p)) ++c.p;
  } else {
    return false;
  }
  if (c.p < c.end && *c.p == '.') {
    ++c.p;
    const char* digits = c.p;
    while (c.p < c.end && IsDigit(*c.p)) ++c.p;
    if (c.p == digits) return false;
  }
  if (c.p < c.end && (*c.p == 'e' || *c.p == 'E')) return false;
  return c.p - start <= 18;
}

bool Literal(Cursor& c, std::string_view word) {
  if (static_cast<std::size_t>(c.end - c.p) < word.size() || std::string_view(c.p, word.size()) != word) return false;
  c.p += word.size();
  return true;
}

bool Value(Cursor& c, int depth);

// An object from its opening brace. `top`: the body itself, whose five fields are collected.
bool Object(Cursor& c, int depth, BodyFields* top) {
  if (depth > kMaxDepth) return false;
  ++c.p;
  c.SkipSpace();
  if (c.p < c.end && *c.p == '}') {
    ++c.p;
    return true;
  }
  bool seen[5] = {};
  while (true) {
    if (c.at_end() || *c.p != '"') return false;
    std::string_view key;
    bool key_escaped;
    if (!String(c, &key, &key_escaped)) return false;
    c.SkipSpace();
    if (c.at_end() || *c.p != ':') return false;
    ++c.p;
    c.SkipSpace();
    if (c.at_end()) return false;
    std::string_view* field = nullptr;
    if (top != nullptr) {
      if (key_escaped) return false;  // it might spell one of the five
      std::string_view* fields[5] = {&top->id, &top->type, &top->platform, &top->account, &top->at};
      static constexpr std::string_view kNames[5] = {"id", "type", "platform", "account", "at"};
      for (int i = 0; i < 5; ++i) {
        if (key != kNames[i]) continue;
        if (seen[i]) return false;  // which of two equal keys wins is nlohmann's business
        seen[i] = true;
        field = fields[i];
      }
    }
    if (field != nullptr && *c.p == '"') {
      bool escaped;
      if (!String(c, field, &escaped) || escaped) return false;
    } else if (!Value(c, depth)) {
      return false;
    }
    c.SkipSpace();
    if (c.at_end()) return false;
    if (*c.p == '}') {
      ++c.p;
      return true;
    }
    if (*c.p != ',') return false;
    ++c.p;
    c.SkipSpace();
  }
}

bool Array(Cursor& c, int depth) {
  if (depth > kMaxDepth) return false;
  ++c.p;
  c.SkipSpace();
  if (c.p < c.end && *c.p == ']') {
    ++c.p;
    return true;
  }
  while (true) {
    if (c.at_end() || !Value(c, depth)) return false;
    c.SkipSpace();
    if (c.at_end()) return false;
    if (*c.p == ']') {
      ++c.p;
      return true;
    }
    if (*c.p != ',') return false;
    ++c.p;
    c.SkipSpace();
  }
}

// A value at the cursor (not at the end).
bool Value(Cursor& c, int depth) {
  std::string_view ignored;
  bool escaped;
  switch (*c.p) {
    case '{': return Object(c, depth + 1, nullptr);
    case '[': return Array(c, depth + 1);
    case '"': return String(c, &ignored, &escaped);
    case 't': return Literal(c, "true");
    case 'f': return Literal(c, "false");
    case 'n': return Literal(c, "null");
    default: return (*c.p == '-' || IsDigit(*c.p)) && Number(c);
  }
}

}  // namespace

bool ScanBodyFields(std::string_view body, BodyFields* out) {
  *out = BodyFields{};
  // Exactly an object, nothing around it: a byte-order mark or white space is left to nlohmann.
  if (body.empty() || body.front() != '{') return false;
  Cursor c{body.data(), body.data() + body.size()};
  BodyFields fields;
  if (!Object(c, 1, &fields) || !c.at_end()) return false;
  *out = fields;
  return true;
}

}  // namespace temoin::store
