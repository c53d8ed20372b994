// Building contract v1 events (docs/protocol.md) from observations. Every string is cleaned and capped here,
// so whatever reaches the queue already fits the contract.
import { capField, cleanAccount, cleanText } from './text.js';
import { isValidAmount, isCurrency } from './money.js';

export const EVENT_TYPES = ['task.start', 'task.submit', 'task.abandon', 'balance', 'balance.missing', 'payout',
  'account.status', 'heartbeat'];
export const ACCOUNT_STATES = ['active', 'logged_out', 'locked', 'suspended', 'unreachable'];
export const PLACEHOLDER_ACCOUNT = 'unknown (not signed in yet)';

function pad(n, w = 2) { return String(n).padStart(w, '0'); }

// RFC 3339 in the page's local zone, with milliseconds: 2026-07-14T09:30:00.123+02:00.
export function rfc3339(date = new Date()) {
  const off = -date.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:` +
    `${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// A UUID version 7 (RFC 9562): 48 bits of Unix time in ms, then 74 random bits. The host keeps every id in a
// unique index; ids that grow with time land at its right edge, where a random UUID (version 4) rewrote a
// random page of it with every event: half again the bytes written and a third more CPU (docs/performance.md).
// getRandomValues, unlike randomUUID, also works on a page that is not a secure context.
export function newId(nowMs = Date.now(), fillRandom = (bytes) => globalThis.crypto.getRandomValues(bytes)) {
  const b = fillRandom(new Uint8Array(16));
  let ms = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | (b[6] & 0x0f);  // version 7
  b[8] = 0x80 | (b[8] & 0x3f);  // the RFC's variant (10xx)
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function money(m) {
  if (!m || !isCurrency(m.currency) || !isValidAmount(m.amount, m.currency)) return undefined;
  return { amount: m.amount, currency: m.currency };
}

function intIn(v, lo, hi) {
  return Number.isSafeInteger(v) && v >= lo && v <= hi ? v : undefined;
}

/**
 * makeEvent('balance', {platform, account, amount, currency, pending}, {id, at}) → a contract event or throws.
 * `at` may be a Date or an RFC 3339 string; `id` defaults to a fresh UUIDv7 (the observation's identity).
 */
export function makeEvent(type, fields, opts = {}) {
  if (!EVENT_TYPES.includes(type)) throw new Error(`unknown event type ${type}`);
  const platform = String(fields.platform || '');
  if (!/^[a-z0-9-]{1,32}$/.test(platform)) throw new Error('bad platform slug');
  const account = cleanAccount(fields.account) || PLACEHOLDER_ACCOUNT;
  const at = opts.at instanceof Date || opts.at === undefined ? rfc3339(opts.at || new Date()) : String(opts.at);
  const ev = { v: 1, type, id: opts.id || newId(), platform, account, at };
  const set = (k, v) => { if (v !== undefined) ev[k] = v; };
  switch (type) {
    case 'task.start': {
      ev.task_id = need(capField('task_id', fields.task_id), 'task_id');
      set('project', capField('project', fields.project));
      set('title', capField('title', fields.title));
      set('url', capField('url', fields.url));
      if (fields.rate && (fields.rate.per === 'hour' || fields.rate.per === 'task')) {
        const m = money(fields.rate);
        if (m) ev.rate = { ...m, per: fields.rate.per };
      }
      break;
    }
    case 'task.submit':
      ev.task_id = need(capField('task_id', fields.task_id), 'task_id');
      set('duration_s', intIn(fields.duration_s, 0, 604800));
      set('earned', money(fields.earned));
      break;
    case 'task.abandon':
      ev.task_id = need(capField('task_id', fields.task_id), 'task_id');
      break;
    case 'balance': {
      const m = need(money(fields), 'amount');
      ev.amount = m.amount; ev.currency = m.currency;
      if (fields.pending !== undefined && isValidAmount(fields.pending, m.currency)) ev.pending = fields.pending;
      break;
    }
    case 'balance.missing':
      if (isCurrency(fields.currency)) ev.currency = fields.currency;
      set('detail', capField('detail', fields.detail));
      break;
    case 'payout': {
      const m = need(money(fields), 'amount');
      ev.amount = m.amount; ev.currency = m.currency;
      set('method', capField('method', fields.method));
      set('reference', capField('reference', fields.reference));
      break;
    }
    case 'account.status':
      if (!ACCOUNT_STATES.includes(fields.state)) throw new Error('bad state');
      ev.state = fields.state;
      set('detail', capField('detail', fields.detail));
      break;
    case 'heartbeat':
      set('url', capField('url', fields.url));
      set('tasks_available', intIn(fields.tasks_available, 0, 1000000));
      if (typeof fields.focused === 'boolean') ev.focused = fields.focused;
      break;
  }
  return ev;
}

function need(v, name) {
  if (v === undefined) throw new Error(`missing ${name}`);
  return v;
}

// Re-check an event that arrives from another context (content script → background): rebuilt field by field,
// so nothing but contract fields, cleaned and capped, reaches the queue. Keeps id and at.
export function sanitizeEvent(ev) {
  if (!ev || typeof ev !== 'object' || !EVENT_TYPES.includes(ev.type)) throw new Error('not an event');
  if (typeof ev.id !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(ev.id)) throw new Error('bad id');
  const at = typeof ev.at === 'string' && /^[2-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})$/.test(ev.at)
    ? ev.at : undefined;
  if (!at) throw new Error('bad at');
  const fields = { ...ev };
  if (ev.type === 'task.start' && ev.rate) fields.rate = ev.rate;
  return makeEvent(ev.type, fields, { id: ev.id, at });
}

export { cleanText };
