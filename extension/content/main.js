// The content script proper: runs the platform's adapter on this page, follows URL changes (single-page
// apps), watches submit and payout clicks, sends a heartbeat every minute while the tab is visible. Every
// event gets its id here, when observed, and goes to the background, which stores it before sending.
import { profileForHost } from '../adapters/profiles/index.js';
import { readPage, classifyClick, visibleText } from '../adapters/runtime.js';
import { planReading, planClick, emptyMemory, accountFor } from '../adapters/plan.js';
import { makeEvent } from '../lib/events.js';
import { findMoney } from '../lib/money.js';

const api = globalThis.chrome;
let HEARTBEAT_MS = 60000;
let UNRECOGNISED_GRACE_MS = 8000;
let URL_SETTLE_MS = 1500;
const timers = [];
let observer = null;

let profile = null;
let lastReading = null;
let outbox = []; // events the background has not confirmed yet (it was starting); retried
let unrecognisedTimer = null;

// The adapter's memory, also kept in this page: a click that navigates away (a submit button) must be planned
// and handed to the background before the page dies, with no storage round trip in between.
let memCache = null;

async function loadMemory() {
  const key = `mem:${profile.platform}`;
  const got = await api.storage.local.get(key);
  memCache = got[key] || emptyMemory();
  return memCache;
}

async function saveMemory(mem) {
  memCache = mem;
  await api.storage.local.set({ [`mem:${profile.platform}`]: mem });
}

function queueEvents(planned) {
  for (const [type, fields] of planned) {
    try {
      outbox.push(makeEvent(type, fields)); // id and time fixed now, at observation
    } catch (e) {
      console.warn('Témoin: event not built', type, e && e.message);
    }
  }
  flush();
}

let flushing = false;
async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    while (outbox.length) {
      const event = outbox[0];
      try {
        const r = await api.runtime.sendMessage({ kind: 'event', event });
        if (!r || !r.ok) throw new Error((r && r.error && r.error.message) || 'not stored');
        outbox.shift();
      } catch {
        setTimeout(flush, 3000); // background waking up, or reloading: try again
        return;
      }
    }
  } finally {
    flushing = false;
  }
}

async function observe(final = false) {
  const reading = readPage(profile, document, location.href);
  lastReading = reading;
  if (!reading.recognised && !final) {
    // A single-page app may still be drawing: decide only after a grace period.
    clearTimeout(unrecognisedTimer);
    unrecognisedTimer = setTimeout(() => observe(true), UNRECOGNISED_GRACE_MS);
    return;
  }
  const mem = await loadMemory();
  const { events, memory } = planReading(reading, mem, Date.now());
  await saveMemory(memory);
  queueEvents(events);
}

async function heartbeat() {
  if (document.visibilityState !== 'visible') return;
  const mem = await loadMemory();
  const reading = lastReading || readPage(profile, document, location.href);
  queueEvents([['heartbeat', {
    platform: profile.platform,
    account: accountFor(reading, mem),
    url: location.origin + location.pathname, // no query string: it may carry tokens
    focused: document.hasFocus(),
    tasks_available: reading.tasksAvailable,
  }]]);
}

async function onClick(ev) {
  const click = classifyClick(profile, ev.target);
  if (!click) return;
  const reading = readPage(profile, document, location.href);
  if (click.action === 'payout') {
    click.money = findMoney(click.label, { dollarCurrency: profile.dollarCurrency });
    click.method = profile.payout.method;
  }
  const mem = memCache || await loadMemory();
  const { events, memory } = planClick({ action: click.action, money: click.money, method: click.method, label: click.label },
    reading, mem, Date.now());
  queueEvents(events);  // first: the page may be leaving
  await saveMemory(memory);
}

function followUrl() {
  let href = location.href;
  let debounce = null;
  const changed = () => {
    if (location.href === href) return;
    href = location.href;
    clearTimeout(debounce);
    debounce = setTimeout(() => observe(), URL_SETTLE_MS);
  };
  timers.push(setInterval(changed, 1000));
  window.addEventListener('popstate', changed);
  window.addEventListener('hashchange', changed);
  if (profile.spa && document.body) {
    // Content that arrives after the URL change: read again once the page settles.
    let pending = null;
    observer = new MutationObserver(() => {
      if (pending) return;
      pending = setTimeout(() => { pending = null; observe(); }, URL_SETTLE_MS + 1000);
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }
}

// Options are for tests (shorter delays); the extension calls start() without any.
export async function start(options = {}) {
  if (options.heartbeatMs) HEARTBEAT_MS = options.heartbeatMs;
  if (options.graceMs !== undefined) UNRECOGNISED_GRACE_MS = options.graceMs;
  if (options.settleMs !== undefined) URL_SETTLE_MS = options.settleMs;
  profile = profileForHost(location.hostname);
  if (!profile) return;
  if (profile.optIn) {
    const key = `enabled:${profile.platform}`;
    const got = await api.storage.local.get(key);
    if (got[key] !== true) return; // off until the worker enables it in the options page
  }
  document.addEventListener('click', (e) => { onClick(e).catch(() => {}); }, true);
  document.addEventListener('submit', (e) => {
    if (e.submitter) return; // the click handler saw it
    const btn = e.target && e.target.querySelector && e.target.querySelector('button[type="submit"], input[type="submit"]');
    if (btn) onClick({ target: btn }).catch(() => {});
  }, true);
  followUrl();
  await observe();
  heartbeat();
  timers.push(setInterval(heartbeat, HEARTBEAT_MS));
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') heartbeat(); });
}

// Stop watching (tests; a page being unloaded needs nothing).
export function stop() {
  for (const t of timers.splice(0)) clearInterval(t);
  clearTimeout(unrecognisedTimer);
  if (observer) observer.disconnect();
}

export { visibleText };
