// Decoding one UTF-8 sequence, strictly: what RFC 3629 and nlohmann's lexer accept, nothing more (no overlong
// forms, no surrogates, nothing above U+10FFFF). Used where bytes from pages are read without a JSON library:
// the dossier's escaping (export/escape.cc) and verify's body scanner (store/body_fields.cc).
#ifndef TEMOIN_BASE_UTF8_H_
#define TEMOIN_BASE_UTF8_H_

#include <cstddef>
#include <string_view>

namespace temoin {

// The length (1 to 4) of the well-formed UTF-8 sequence at text[i], with its code point in *cp; 0 when the bytes
// there are not one (or i is past the end).
std::size_t DecodeUtf8(std::string_view text, std::size_t i, char32_t* cp);

}  // namespace temoin

#endif  // TEMOIN_BASE_UTF8_H_
