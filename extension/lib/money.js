// Money from page text, by string manipulation only: never parseFloat, never binary floating point.

const ZERO_DECIMALS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND',
  'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
const TWO_DECIMALS = new Set(('AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP ' +
  'BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD ' +
  'HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR ' +
  'MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP ' +
  'SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VED VES WST XCD XCG YER ZAR ZMW ' +
  'ZWG').split(' '));

export function isCurrency(code) {
  return ZERO_DECIMALS.has(code) || TWO_DECIMALS.has(code) || THREE_DECIMALS.has(code);
}

export function currencyDecimals(code) {
  if (ZERO_DECIMALS.has(code)) return 0;
  if (THREE_DECIMALS.has(code)) return 3;
  if (TWO_DECIMALS.has(code)) return 2;
  return null;
}

// Symbols, longest first. A bare "$" is ambiguous: it takes the caller's dollarCurrency (USD by default).
// Any other letters glued to a "$" (S$, R$, a Cyrillic "US$"…) that are not listed here make the text unreadable.
const SYMBOLS = [
  ['US$', 'USD'], ['CA$', 'CAD'], ['C$', 'CAD'], ['AU$', 'AUD'], ['A$', 'AUD'], ['NZ$', 'NZD'], ['HK$', 'HKD'],
  ['S$', 'SGD'], ['R$', 'BRL'], ['MX$', 'MXN'], ['NT$', 'TWD'],
  ['$', '$'], ['£', 'GBP'], ['€', 'EUR'], ['¥', 'JPY'], ['₹', 'INR'], ['₱', 'PHP'], ['₦', 'NGN'], ['₩', 'KRW'],
  ['zł', 'PLN'], ['₽', 'RUB'], ['₺', 'TRY'], ['₴', 'UAH'],
];

const SPACES = /[\s\u00a0\u202f\u2009\u2007\u200a]+/gu;

// Normalise a digit string with separators into "123.45" for `decimals`, or null when ambiguous or malformed.
function normaliseNumber(num, decimals) {
  if (!/^[0-9][0-9.,' ]*$/.test(num) || /[.,' ]$/.test(num)) return null;
  const lastDot = num.lastIndexOf('.');
  const lastComma = num.lastIndexOf(',');
  let intPart = num;
  let frac = '';
  let sep = null;
  if (lastDot >= 0 && lastComma >= 0) {
    sep = lastDot > lastComma ? '.' : ',';
  } else if (lastDot >= 0 || lastComma >= 0) {
    const c = lastDot >= 0 ? '.' : ',';
    const count = num.split(c).length - 1;
    const after = num.length - num.lastIndexOf(c) - 1;
    // One separator followed by exactly three digits: a ',' groups thousands ("$1,000"); a '.' is ambiguous
    // ("$12.345": twelve dollars or twelve thousand?) and is refused, unless the currency has 3 decimals.
    if (count === 1 && after === 3 && decimals !== 3) {
      if (c === '.') return null;
    } else if (count === 1) {
      sep = c;
    }
  }
  if (sep) {
    const i = num.lastIndexOf(sep);
    intPart = num.slice(0, i);
    frac = num.slice(i + 1);
    if (!/^[0-9]+$/.test(frac)) return null;
  }
  // The integer part: digits with optional grouping by 3 (',', '.', ' ', "'"), one grouping character only.
  const groups = intPart.split(/[.,' ]/);
  if (groups.length > 1) {
    const grouping = new Set(intPart.replace(/[0-9]/g, ''));
    if (grouping.size !== 1) return null;
    if (!/^[0-9]{1,3}$/.test(groups[0])) return null;
    for (const g of groups.slice(1)) if (!/^[0-9]{3}$/.test(g)) return null;
  }
  let digits = groups.join('').replace(/^0+(?=[0-9])/, '');
  if (!/^[0-9]+$/.test(digits)) return null;
  // Extra trailing zeros beyond the currency's minor unit are harmless; other extra digits are not.
  while (frac.length > decimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  if (frac.length > decimals) return null;
  frac = frac.padEnd(decimals, '0');
  const out = decimals > 0 ? `${digits}.${frac}` : digits;
  return withinCap(out) ? out : null;
}

// At most 10,000,000,000 in major units.
function withinCap(amount) {
  const [i, f = ''] = amount.split('.');
  if (i.length < 11) return true;
  return i === '10000000000' && /^0*$/.test(f);
}

/**
 * Read an amount of money from page text: "$1,312.50", "£12.30", "1 312,50 €", "US$ 5", "EUR 12.00".
 * Returns {amount, currency} with amount a decimal string in the currency's minor unit, or null when the text
 * is not unambiguously one non-negative amount in a known currency.
 * options.dollarCurrency: what a bare "$" means on this platform (default USD).
 * options.defaultCurrency: the currency when the text has no symbol or code at all (default: none → null).
 */
export function parseMoney(text, options = {}) {
  if (text === null || text === undefined) return null;
  let s = String(text).normalize('NFC').replace(SPACES, ' ').trim();
  if (!s || s.length > 64) return null;
  if (/[-−–(]/.test(s)) return null; // negative or parenthesised amounts are not balances
  let currency = null;
  // ISO code before or after.
  const codeMatch = s.match(/^([A-Z]{3})\s*(.+)$/) || s.match(/^(.+?)\s*([A-Z]{3})$/);
  if (codeMatch) {
    const [code, rest] = /^[A-Z]{3}$/.test(codeMatch[1]) ? [codeMatch[1], codeMatch[2]] : [codeMatch[2], codeMatch[1]];
    if (isCurrency(code)) { currency = code; s = rest.trim(); }
  }
  if (!currency) {
    for (const [sym, code] of SYMBOLS) {
      if (s.startsWith(sym)) { currency = code; s = s.slice(sym.length).trim(); break; }
      if (s.endsWith(sym)) { currency = code; s = s.slice(0, -sym.length).trim(); break; }
    }
  }
  if (currency === '$') currency = options.dollarCurrency || 'USD';
  if (!currency) {
    if (!options.defaultCurrency || !/^[0-9]/.test(s)) return null;
    currency = options.defaultCurrency;
  }
  // Whatever is left must be ASCII digits and separators only (rejects Cyrillic lookalikes, other digit systems,
  // a leftover symbol such as the "S" of "S$" written apart).
  const decimals = currencyDecimals(currency);
  if (decimals === null) return null;
  const amount = normaliseNumber(s, decimals);
  return amount === null ? null : { amount, currency };
}

// Find the first money amount inside a longer text ("Withdraw $1,312.50 now").
export function findMoney(text, options = {}) {
  if (!text) return null;
  const s = String(text).replace(SPACES, ' ');
  const re = /(?:[A-Z]{1,3}\$|[A-Z]{3} ?|[$£€¥₹₱₦₩₽₺₴])?\s?[0-9][0-9.,' ]*[0-9](?:\s?(?:€|£|zł|[A-Z]{3}(?![A-Za-z])))?|(?:[A-Z]{1,3}\$|[$£€¥₹₱₦₩₽₺₴])\s?[0-9]/gu;
  for (const m of s.matchAll(re)) {
    const candidate = m[0].trim();
    // A letter glued before the match ("XS$5", Cyrillic "ЅS$") makes it unreadable: skip.
    const start = m.index + (m[0].length - m[0].trimStart().length);
    const before = s[start - 1];
    if (before && /[\p{L}$]/u.test(before)) continue;
    const parsed = parseMoney(candidate, options);
    if (parsed) return parsed;
  }
  return null;
}

// Integer minor units (number or digit string) → decimal string: 1312 cents → "13.12".
export function fromMinorUnits(value, currency = 'USD') {
  const decimals = currencyDecimals(currency);
  if (decimals === null) return null;
  let digits;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return null;
    digits = String(value);
  } else if (typeof value === 'string' && /^[0-9]{1,20}$/.test(value)) {
    digits = value.replace(/^0+(?=[0-9])/, '');
  } else {
    return null;
  }
  let out;
  if (decimals === 0) out = digits;
  else {
    const padded = digits.padStart(decimals + 1, '0');
    out = `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
  }
  return withinCap(out) ? out : null;
}

// Is this a valid contract amount for that currency?
export function isValidAmount(amount, currency) {
  const d = currencyDecimals(currency);
  if (d === null || typeof amount !== 'string') return false;
  if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(amount)) return false;
  const frac = amount.split('.')[1] || '';
  return frac.length <= d && withinCap(amount);
}

// Compare two decimal strings of the same currency: -1, 0, 1.
export function compareAmounts(a, b) {
  const [ai, af = ''] = a.split('.');
  const [bi, bf = ''] = b.split('.');
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const x = af.padEnd(n, '0');
  const y = bf.padEnd(n, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}
