// Escaping page-derived text for each format of the dossier. Everything a platform's page gave us (project
// names, titles, URLs, account names, status details) is untrusted: it may hold markup, quotes, spreadsheet
// formulas, control characters or Unicode bidirectional overrides that make text read differently from what
// it is. Each writer passes such strings through exactly one function here:
//
//   - HtmlText:  Visible(), then & < > " ' as character references. Safe in element content and in quoted
//                attribute values.
//   - CsvText:   Visible() (line breaks and tabs kept), a leading formula character (= + - @ tab CR and their
//                full-width forms) neutralised with a leading apostrophe, then RFC 4180 quoting.
//   - JsonText:  a JSON string literal (quotes, backslashes and control characters escaped). The bytes are kept
//                otherwise: events.jsonl is evidence whose hashes must re-check, so it is never rewritten.
//
// Visible() makes invisible trouble visible instead of deleting it: bidirectional controls (U+202A–U+202E,
// U+2066–U+2069, U+200E, U+200F, U+061C), C0/C1 control characters, U+2028/U+2029 and U+FEFF become the text
// "[U+202E]"; a byte sequence that is not UTF-8 becomes U+FFFD. Letters of any script, emoji and joiners
// (U+200C, U+200D) are kept as they are.
#ifndef TEMOIN_EXPORT_ESCAPE_H_
#define TEMOIN_EXPORT_ESCAPE_H_

#include <string>
#include <string_view>

namespace temoin::exporter {

// `keep_line_breaks`: LF, CR and TAB stay as they are (CSV cells and HTML text may hold them); otherwise they
// become markers like the other control characters.
std::string Visible(std::string_view text, bool keep_line_breaks);

std::string HtmlText(std::string_view text);

// True when a spreadsheet would read the cell as a formula (its first character is = + - @ TAB CR or the
// full-width = + - @).
bool LooksLikeFormula(std::string_view text);

// A CSV cell holding page-derived text: Visible, formula-neutralised, quoted when needed.
std::string CsvText(std::string_view text);
// A CSV cell holding a value the host produced (a number, a timestamp, a currency code): quoted when needed.
std::string CsvValue(std::string_view value);

// A JSON string literal, quotes included. Invalid UTF-8 (which the host never stores) becomes U+FFFD.
std::string JsonText(std::string_view text);
// The same, appended to *out (events.jsonl builds its lines without a string per field).
void AppendJsonText(std::string* out, std::string_view text);

}  // namespace temoin::exporter

#endif  // TEMOIN_EXPORT_ESCAPE_H_
