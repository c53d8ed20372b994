import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toWellFormed, truncateUtf8, utf8Length, capField, cleanAccount, TRUNCATION_MARKER, truncateCodePoints } from '../../extension/lib/text.js';

test('toWellFormed replaces lone surrogates and keeps pairs', () => {
  assert.equal(toWellFormed('a\uD800b'), 'a\uFFFDb');
  assert.equal(toWellFormed('\uDC00'), '\uFFFD');
  assert.equal(toWellFormed('😀'), '😀');
});

test('toWellFormed fallback works without the native method', () => {
  const saved = String.prototype.toWellFormed;
  try {
    delete String.prototype.toWellFormed;
    assert.equal(toWellFormed('x\uD83Dy\uDE00z😀'), 'x\uFFFDy\uFFFDz😀');
  } finally {
    if (saved) String.prototype.toWellFormed = saved; // eslint-disable-line no-extend-native
  }
});

test('truncateUtf8 caps in UTF-8 bytes, ends with the marker, never splits a code point', () => {
  assert.equal(truncateUtf8('short', 64), 'short');
  const s = 'é'.repeat(200); // 400 bytes
  const t = truncateUtf8(s, 128);
  assert.ok(utf8Length(t) <= 128);
  assert.ok(t.endsWith(TRUNCATION_MARKER));
  assert.equal(t, 'é'.repeat((128 - utf8Length(TRUNCATION_MARKER)) >> 1) + TRUNCATION_MARKER);
  const emoji = truncateUtf8('😀'.repeat(100), 64);
  assert.ok(utf8Length(emoji) <= 64);
  assert.equal(toWellFormed(emoji), emoji);
  assert.equal(utf8Length(TRUNCATION_MARKER), 14);
});

test('exactly at the cap is kept whole', () => {
  const s = 'a'.repeat(128);
  assert.equal(truncateUtf8(s, 128), s);
  assert.equal(truncateUtf8(s + 'b', 128).length, 128 - 14 + TRUNCATION_MARKER.length);
});

test('capField cleans NUL, collapses white space, drops empty strings', () => {
  assert.equal(capField('title', '  a\u0000b \n\t c  '), 'ab c');
  assert.equal(capField('title', '   '), undefined);
  const big = capField('url', 'https://x/' + 'q'.repeat(5000));
  assert.equal(utf8Length(big), 2048);
  assert.ok(big.endsWith(TRUNCATION_MARKER));
});

test('accounts: control characters out, at most 128 code points', () => {
  assert.equal(cleanAccount('ana\u0007@example.org'), 'ana@example.org');
  const long = cleanAccount('𝒜'.repeat(300));
  assert.equal(Array.from(long).length, 128);
  assert.equal(truncateCodePoints('abc', 2, '…'), 'a…');
  assert.equal(cleanAccount('\u0001'), undefined);
});
