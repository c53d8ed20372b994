// The five fields of an event's body that the log also keeps in columns (id, type, platform, account, at), read
// from the stored body without building a JSON document. `temoin verify` and `temoin export` compare them with
// the columns for every row; a million nlohmann parses (a tree and a string per value) were the largest part of
// verify's chain walk (docs/performance.md, "Verify and export").
//
// The scanner is a fast path, never a second opinion: it answers only for bodies it can read with certainty the
// way nlohmann::json::parse reads them, and says `false` (ask nlohmann) for anything else: a \u escape anywhere,
// any escape in a top-level key or in one of the five values, a key of the five given twice, an exponent or a
// long number, a control or DEL character, invalid UTF-8, white space before or after the object, nesting deeper
// than 64. Every body the host writes is canonical JSON and takes the fast path unless a string holds a control
// character (JCS writes it as \u00XX).
#ifndef TEMOIN_STORE_BODY_FIELDS_H_
#define TEMOIN_STORE_BODY_FIELDS_H_

#include <string_view>

namespace temoin::store {

// Views into the scanned body; "" for a field that is missing or not a string (as verify always read them).
struct BodyFields {
  std::string_view id, type, platform, account, at;
};

// True when `body` is certainly a JSON object that nlohmann would parse, with *out holding its five fields.
// False means "not certain": the caller must parse the body with nlohmann to decide.
bool ScanBodyFields(std::string_view body, BodyFields* out);

}  // namespace temoin::store

#endif  // TEMOIN_STORE_BODY_FIELDS_H_
