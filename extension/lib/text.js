// Text hygiene for page-derived strings: well-formed UTF-16, no U+0000, capped in UTF-8 bytes.
// Plain ES module: used by the content script, the background and node tests.

export const TRUNCATION_MARKER = '…[truncated]';

// Caps from docs/protocol.md, in UTF-8 bytes.
export const CAPS = Object.freeze({
  task_id: 128, project: 256, title: 1024, url: 2048, detail: 2048, method: 64, reference: 256,
});

// Replace lone surrogates by U+FFFD. Uses the native method when the engine has it.
export function toWellFormed(s) {
  s = String(s);
  if (typeof String.prototype.toWellFormed === 'function') return s.toWellFormed();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) { out += s[i] + s[i + 1]; i++; continue; }
      out += '\uFFFD';
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\uFFFD';
    } else {
      out += s[i];
    }
  }
  return out;
}

// Bytes one code point takes in UTF-8.
function cpBytes(cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

export function utf8Length(s) {
  let n = 0;
  for (const ch of s) n += cpBytes(ch.codePointAt(0));
  return n;
}

// Cut `s` (already well formed) so that its UTF-8 form fits in maxBytes, ending with the marker when cut.
// Never splits a code point.
export function truncateUtf8(s, maxBytes, marker = TRUNCATION_MARKER) {
  if (utf8Length(s) <= maxBytes) return s;
  const room = maxBytes - utf8Length(marker);
  if (room <= 0) return marker.slice(0, 0);
  let used = 0;
  let out = '';
  for (const ch of s) {
    const b = cpBytes(ch.codePointAt(0));
    if (used + b > room) break;
    used += b;
    out += ch;
  }
  return out + marker;
}

// Same, counted in code points (the account cap is 128 code points).
export function truncateCodePoints(s, max, marker = TRUNCATION_MARKER) {
  const cps = Array.from(s);
  if (cps.length <= max) return s;
  const m = Array.from(marker);
  return cps.slice(0, Math.max(0, max - m.length)).join('') + marker;
}

// Page text → a clean single-line string: well formed, no NUL, whitespace collapsed and trimmed.
export function cleanText(s) {
  if (s === null || s === undefined) return '';
  return toWellFormed(String(s)).replace(/\u0000/g, '').replace(/\s+/gu, ' ').trim();
}

// Clean then cap a field by its contract name; returns undefined for an empty result (the host refuses "").
export function capField(name, value) {
  const clean = cleanText(value);
  if (!clean) return undefined;
  const cap = CAPS[name];
  return cap ? truncateUtf8(clean, cap) : clean;
}

// An account name: no control characters, 1–128 code points.
export function cleanAccount(value) {
  // eslint-disable-next-line no-control-regex
  const s = cleanText(value).replace(/[\u0000-\u001f\u007f]/g, '');
  if (!s) return undefined;
  return truncateCodePoints(s, 128);
}
