#include "export/escape.h"

#include <cstdint>
#include <cstdio>

#include "base/utf8.h"
#include "protocol/reply.h"

namespace temoin::exporter {

namespace {

bool IsHidden(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0xFEFF;
}

std::string Marker(char32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "[U+%04X]", static_cast<unsigned>(cp));
  return buffer;
}

}  // namespace

std::string Visible(std::string_view text, bool keep_line_breaks) {
  // Printable ASCII has nothing to mark: returned as it is without decoding (most titles and projects are).
  bool printable = true;
  for (char c : text) {
    if (c < 0x20 || c > 0x7E) {
      printable = false;
      break;
    }
  }
  if (printable) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp;
    std::size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    bool line_break = cp == '\n' || cp == '\r' || cp == '\t';
    if (IsHidden(cp) && !(line_break && keep_line_breaks)) {
      out += Marker(cp);
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string HtmlText(std::string_view text) {
  std::string visible = Visible(text, /*keep_line_breaks=*/true);
  std::string out;
  out.reserve(visible.size() + 16);
  for (char c : visible) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\r': out += ' '; break;  // a lone CR is not white space everywhere; a space says the same
      default: out += c;
    }
  }
  return out;
}

bool LooksLikeFormula(std::string_view text) {
  if (text.empty()) return false;
  char c = text[0];
  if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') return true;
  // Full-width forms, which some spreadsheets normalise: U+FF1D = , U+FF0B + , U+FF0D - , U+FF20 @.
  for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"}) {
    if (text.substr(0, wide.size()) == wide) return true;
  }
  return false;
}

std::string CsvValue(std::string_view value) {
  bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvText(std::string_view text) {
  std::string visible = Visible(text, /*keep_line_breaks=*/true);
  if (LooksLikeFormula(visible)) visible = "'" + visible;
  return CsvValue(visible);
}

std::string JsonText(std::string_view text) {
  std::string out;
  AppendJsonText(&out, text);
  return out;
}

void AppendJsonText(std::string* out, std::string_view text) { protocol::AppendJsonString(out, text); }

}  // namespace temoin::exporter
