#include "protocol/flat_json.h"

#include <algorithm>
#include <charconv>

#include "base/utf8.h"

namespace temoin::protocol {

namespace {

// The longest integer read: 15 digits stay below 2^53, so every client reads them exactly too; the contract's
// integers are far smaller, and longer ones go to the full decoder.
constexpr std::size_t kMaxIntegerDigits = 15;

// Bytes a string's scan must stop at: the closing quote, a backslash, control characters, DEL and every byte
// of a multi-byte sequence. Plain ASCII is skipped by one table look-up a byte.
constexpr std::array<bool, 256> kStop = [] {
  std::array<bool, 256> stop{};
  for (int b = 0; b < 256; ++b) stop[b] = b < 0x20 || b >= 0x7F || b == '"' || b == '\\';
  return stop;
}();

class Scanner {
 public:
  Scanner(std::string_view text, std::string* decoded)
      : p_(text.data()), end_(text.data() + text.size()), text_size_(text.size()), decoded_(decoded) {}

  bool AtEnd() const { return p_ >= end_; }

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  // An object from its opening brace, its entries into `slots` (at most `capacity`). Nested objects, allowed
  // only when `nested` is given, put their entries there.
  bool Object(FlatEntry* slots, std::size_t capacity, std::size_t* size, FlatEntry* nested, std::size_t nested_capacity,
              std::size_t* nested_size) {
    if (AtEnd() || *p_ != '{') return false;
    ++p_;
    SkipSpace();
    *size = 0;
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    while (true) {
      if (AtEnd() || *p_ != '"' || *size == capacity) return false;
      FlatEntry& entry = slots[*size];
      bool escaped;
      if (!String(&entry.key, &escaped) || escaped) return false;  // an escaped key might spell a known one
      for (std::size_t i = 0; i < *size; ++i) {
        if (slots[i].key == entry.key) return false;  // the strict parser names the duplicate
      }
      SkipSpace();
      if (AtEnd() || *p_ != ':') return false;
      ++p_;
      SkipSpace();
      if (AtEnd()) return false;
      if (*p_ == '{') {
        if (nested == nullptr) return false;
        std::size_t count;
        FlatEntry* run = nested + *nested_size;
        if (!Object(run, nested_capacity - *nested_size, &count, nullptr, 0, nullptr)) return false;
        *nested_size += count;
        entry.value.kind = FlatValue::Kind::kObject;
        entry.value.object = FlatObjectView{run, count};
      } else if (!Scalar(&entry.value)) {
        return false;
      }
      ++*size;
      SkipSpace();
      if (AtEnd()) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      SkipSpace();
    }
  }

 private:
  bool Scalar(FlatValue* value) {
    switch (*p_) {
      case '"': {
        bool escaped;
        value->kind = FlatValue::Kind::kString;
        if (!String(&value->string, &escaped)) return false;
        value->had_escapes = escaped;
        return true;
      }
      case 't':
        value->kind = FlatValue::Kind::kBoolean;
        value->boolean = true;
        return Literal("true");
      case 'f':
        value->kind = FlatValue::Kind::kBoolean;
        value->boolean = false;
        return Literal("false");
      default:
        value->kind = FlatValue::Kind::kInteger;
        return Integer(&value->integer);
    }
  }

  // A string from its opening quote. Without escapes its value is a view into the text; with the one-letter
  // escapes it is decoded into *decoded_. \u escapes are left to the full decoder (surrogates).
  bool String(std::string_view* value, bool* escaped) {
    ++p_;
    const char* start = p_;
    std::size_t decoded_start = 0;
    *escaped = false;
    while (p_ < end_) {
      const char* run = p_;
      while (p_ < end_ && !kStop[static_cast<unsigned char>(*p_)]) ++p_;
      if (*escaped) decoded_->append(run, static_cast<std::size_t>(p_ - run));
      if (p_ >= end_) return false;
      unsigned char b = static_cast<unsigned char>(*p_);
      if (b == '"') {
        ++p_;
        *value = *escaped ? std::string_view(*decoded_).substr(decoded_start)
                          : std::string_view(start, static_cast<std::size_t>(p_ - 1 - start));
        return true;
      }
      if (b == '\\') {
        if (end_ - p_ < 2) return false;
        char unescaped = Unescape(p_[1]);
        if (unescaped == 0) return false;
        if (!*escaped) {
          // Decoded strings are never longer than the text, so one reservation keeps every earlier view valid.
          if (decoded_->capacity() < text_size_) decoded_->reserve(text_size_);
          decoded_start = decoded_->size();
          decoded_->append(start, static_cast<std::size_t>(p_ - start));
          *escaped = true;
        }
        decoded_->push_back(unescaped);
        p_ += 2;
      } else if (b < 0x80) {
        return false;  // a control character (invalid JSON) or DEL (left to the full decoder)
      } else {
        char32_t ignored;
        std::size_t len = DecodeUtf8(std::string_view(p_, static_cast<std::size_t>(end_ - p_)), 0, &ignored);
        if (len == 0) return false;
        if (*escaped) decoded_->append(p_, len);
        p_ += len;
      }
    }
    return false;
  }

  static char Unescape(char e) {
    switch (e) {
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      default: return 0;
    }
  }

  // A non-negative integer as JSON writes it (no leading zero, no fraction, no exponent).
  bool Integer(std::int64_t* out) {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    std::size_t digits = static_cast<std::size_t>(p_ - start);
    if (digits == 0 || digits > kMaxIntegerDigits || (digits > 1 && *start == '0')) return false;
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    std::from_chars(start, p_, *out);
    return true;
  }

  bool Literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  const char* p_;
  const char* end_;
  std::size_t text_size_;
  std::string* decoded_;
};

// A string read without escapes: the scanner declined control characters and stopped at quotes and backslashes,
// so the bytes are already what the dump writes.
void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  out->append(s);
  out->push_back('"');
}

void AppendEscaped(std::string_view s, std::string* out) {
  out->push_back('"');
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";  // lower case, as nlohmann writes it
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out->append(escape, sizeof escape);
      }
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

// Keys in byte order, as std::map<std::string> (nlohmann's object) keeps them.
void AppendObject(FlatObjectView object, std::string* out) {
  std::array<const FlatEntry*, kMaxFlatEntries> sorted;
  std::size_t n = 0;
  for (const FlatEntry& entry : object) sorted[n++] = &entry;
  std::sort(sorted.begin(), sorted.begin() + n, [](const FlatEntry* a, const FlatEntry* b) { return a->key < b->key; });
  out->push_back('{');
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out->push_back(',');
    AppendQuoted(sorted[i]->key, out);  // keys with escapes were declined
    out->push_back(':');
    const FlatValue& value = sorted[i]->value;
    switch (value.kind) {
      case FlatValue::Kind::kString:
        if (value.had_escapes) {
          AppendEscaped(value.string, out);
        } else {
          AppendQuoted(value.string, out);
        }
        break;
      case FlatValue::Kind::kInteger: {
        char digits[24];
        auto end = std::to_chars(digits, digits + sizeof digits, value.integer).ptr;
        out->append(digits, static_cast<std::size_t>(end - digits));
        break;
      }
      case FlatValue::Kind::kBoolean: out->append(value.boolean ? "true" : "false"); break;
      case FlatValue::Kind::kObject: AppendObject(value.object, out); break;
    }
  }
  out->push_back('}');
}

}  // namespace

bool ScanFlatObject(std::string_view text, FlatObject* out) {
  out->top_size_ = 0;
  out->nested_size_ = 0;
  out->decoded_.clear();
  out->text_size_ = text.size();
  Scanner scanner(text, &out->decoded_);
  scanner.SkipSpace();
  if (!scanner.Object(out->top_.data(), out->top_.size(), &out->top_size_, out->nested_.data(), out->nested_.size(),
                      &out->nested_size_)) {
    return false;
  }
  scanner.SkipSpace();
  return scanner.AtEnd();
}

std::string FlatObject::Canonical() const {
  std::string out;
  out.reserve(text_size_);
  AppendObject(top(), &out);
  return out;
}

const FlatValue* FindFlat(FlatObjectView object, std::string_view key) {
  for (const FlatEntry& entry : object) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

}  // namespace temoin::protocol
