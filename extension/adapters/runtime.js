// The shared adapter runtime: reads a platform page (a DOM Document) with a declarative profile and returns a
// reading. Nothing here touches browser APIs or the network; the content script and the tests both call it.
import { cleanText, cleanAccount, toWellFormed } from '../lib/text.js';
import { findMoney, parseMoney, fromMinorUnits } from '../lib/money.js';

const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA']);
const MAX_TEXT = 200000;
export const STATE_SCOPE = ['[role="alert"]', '.alert', '.flash', '.notice', '.banner', '.callout',
  '[data-testid*="alert"]', '[data-testid*="account-status"]', '.error-page h1', '.error-page p'];
// Attributes a hybrid root (server-rendered React component) may be named by.
const ROOT_ATTRS = ['data-react-class', 'data-component-name', 'data-component', 'data-react-component',
  'data-hybrid-root', 'data-root', 'data-controller', 'id', 'class'];

// Visible text of a node: text nodes outside script/style, whitespace collapsed, capped.
export function visibleText(node, max = MAX_TEXT) {
  if (!node) return '';
  const parts = [];
  let size = 0;
  const walk = (n) => {
    if (size > max) return;
    if (n.nodeType === 3) { parts.push(n.nodeValue); size += n.nodeValue.length; return; }
    if (n.nodeType !== 1 && n.nodeType !== 9 && n.nodeType !== 11) return;
    if (n.nodeType === 1 && (SKIP.has(n.tagName) || n.hidden || n.getAttribute('aria-hidden') === 'true')) return;
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
    if (n.nodeType === 1 && /^(DIV|P|LI|TR|TD|TH|H[1-6]|SECTION|BUTTON|A|SPAN|LABEL|DT|DD)$/.test(n.tagName)) parts.push(' ');
  };
  walk(node);
  return cleanText(parts.join('').slice(0, max));
}

function q(doc, selectors) {
  for (const sel of [].concat(selectors || [])) {
    let el = null;
    try { el = doc.querySelector(sel); } catch { el = null; }
    if (el) return el;
  }
  return null;
}

function qAll(doc, selectors) {
  const out = [];
  for (const sel of [].concat(selectors || [])) {
    try { out.push(...doc.querySelectorAll(sel)); } catch { /* bad selector */ }
  }
  return out;
}

// Find a hybrid root by its component name, whatever attribute carries the name; return its parsed props.
export function findRoot(doc, name) {
  const wanted = String(name).toLowerCase();
  const candidates = doc.querySelectorAll('[data-props], [data-react-props], [data-component-props]');
  const matches = (el) => ROOT_ATTRS.some((a) => {
    const v = el.getAttribute(a);
    return v && v.toLowerCase().includes(wanted);
  });
  let root = null;
  for (const el of candidates) if (matches(el)) { root = el; break; }
  if (!root) {
    // The name on a wrapper, the props on a child or in a JSON script inside it.
    for (const el of doc.querySelectorAll('*')) {
      if (matches(el)) { root = el; break; }
    }
  }
  if (!root) return null;
  let raw = root.getAttribute('data-props') || root.getAttribute('data-react-props') ||
    root.getAttribute('data-component-props');
  if (raw === null) {
    const inner = root.querySelector('[data-props], [data-react-props], script[type="application/json"]');
    if (inner) raw = inner.getAttribute('data-props') || inner.getAttribute('data-react-props') || inner.textContent;
  }
  let props = null;
  if (raw !== null && raw !== undefined) {
    try { props = JSON.parse(raw); } catch { props = null; }
  }
  return { element: root, props };
}

// Money next to a label: the first element whose own text matches `label`, then money in it, its parent or
// its next sibling.
function moneyByLabel(doc, label, opts) {
  const els = doc.body ? doc.body.querySelectorAll('*') : [];
  for (const el of els) {
    if (SKIP.has(el.tagName)) continue;
    let own = '';
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 3) own += c.nodeValue;
    own = cleanText(own);
    if (!own || own.length > 200 || !label.test(own)) continue;
    const places = [el, el.nextElementSibling, el.parentElement];
    for (const p of places) {
      if (!p) continue;
      const m = findMoney(visibleText(p, 400).replace(own, ' '), opts) || findMoney(visibleText(p, 400), opts);
      if (m) return m;
    }
  }
  return null;
}

export function readMoney(doc, spec, opts) {
  if (!spec) return null;
  for (const el of qAll(doc, spec.selectors)) {
    const m = (spec.exact ? parseMoney : findMoney)(visibleText(el, 400), opts);
    if (m) return m;
  }
  if (spec.label) return moneyByLabel(doc, spec.label, opts);
  return null;
}

function firstText(doc, selectors) {
  const el = q(doc, selectors);
  return el ? visibleText(el, 4000) : undefined;
}

function matchAny(text, patterns) {
  for (const p of [].concat(patterns || [])) if (p.test(text)) return true;
  return false;
}

/**
 * readPage(profile, doc, href) → {
 *   platform, page, recognised, detail?, account?, state?, balances: [{amount, currency, pending?}],
 *   expectsBalance, tasksAvailable?, noTasks, task?, projects?, }
 */
export function readPage(profile, doc, href) {
  const url = new URL(href);
  const path = url.pathname + url.search;
  const text = visibleText(doc.body);
  const opts = { dollarCurrency: profile.dollarCurrency || 'USD' };
  const reading = { platform: profile.platform, page: 'other', recognised: true, balances: [], expectsBalance: false,
    noTasks: false };
  const ctx = { doc, url, path, text, opts, findRoot: (n) => findRoot(doc, n), findMoney, parseMoney,
    fromMinorUnits, visibleText, cleanText, firstText: (s) => firstText(doc, s) };

  // Who is signed in.
  const idSpec = profile.identity || {};
  let account;
  for (const el of qAll(doc, idSpec.selectors)) {
    const t = visibleText(el, 400) || el.getAttribute('content') || el.getAttribute('data-value') || '';
    const m = idSpec.pattern ? t.match(idSpec.pattern) : [t];
    if (m && m[0]) { account = cleanAccount(m[1] || m[0]); if (account) break; }
  }
  if (account) reading.account = account;

  // States that can show on any page: signed out, locked, suspended.
  for (const s of profile.states || []) {
    const urlOk = s.url ? s.url.test(url.pathname) : true;
    // State messages are looked for only where a site shows them (alerts, banners), never in page content a
    // task author controls: a task titled "Your account has been locked" must not lock the account.
    const scoped = s.text ? qAll(doc, s.scope || STATE_SCOPE).map((el) => visibleText(el, 2000)).join(' \n ') : '';
    const textOk = s.text ? matchAny(scoped, s.text) : true;
    const selOk = s.selectors ? !!q(doc, s.selectors) : true;
    if ((s.url || s.text || s.selectors) && urlOk && textOk && selOk) {
      reading.state = s.state;
      reading.page = s.page || s.state;
      const m = s.text ? [].concat(s.text).map((p) => scoped.match(p)).find(Boolean) : null;
      reading.detail = s.detail || (m ? m[0] : `${profile.name}: ${url.pathname}`);
      return reading;
    }
  }

  // The page kinds this profile knows.
  const kind = (profile.pages || []).find((p) => p.url.test(url.pathname));
  if (!kind) return reading;
  reading.page = kind.page;
  reading.expectsBalance = !!kind.balance;

  if (kind.task) {
    const m = url.pathname.match(kind.url);
    const fromUrl = kind.task.idFrom === 'query' ? url.searchParams.get(kind.task.param) : m && m[kind.task.group || 1];
    const task = {
      task_id: fromUrl || undefined,
      project: firstText(doc, kind.task.project),
      title: firstText(doc, kind.task.title),
      url: toWellFormed(url.origin + url.pathname),
    };
    if (kind.task.reward) {
      const r = readMoney(doc, kind.task.reward, opts);
      if (r) task.rate = { ...r, per: kind.task.rewardPer || 'task' };
    }
    if (task.task_id) reading.task = task;
  }
  if (kind.balance && typeof kind.balance === 'object') {
    const b = readMoney(doc, kind.balance, opts);
    if (b) {
      const p = readMoney(doc, kind.pending, opts);
      reading.balances.push(p && p.currency === b.currency ? { ...b, pending: p.amount } : b);
    }
  }
  if (kind.tasksAvailable) {
    const el = q(doc, kind.tasksAvailable.selectors);
    const t = el ? visibleText(el, 400) : text;
    const m = t.match(kind.tasksAvailable.pattern);
    if (m) reading.tasksAvailable = Number.parseInt(m[1].replace(/[^0-9]/g, ''), 10);
  }
  if (kind.noTasks && matchAny(text, kind.noTasks)) { reading.noTasks = true; reading.tasksAvailable = 0; }

  // A few lines of platform code where the declarative part is not enough.
  if (kind.read) Object.assign(reading, kind.read(ctx, reading) || {});

  // Is the page still what the profile expects? A redesign must be said, not misread.
  if (kind.expect) {
    const ok = kind.expect.some((e) => (e.root && ctx.findRoot(e.root)) || (e.selector && q(doc, e.selector)) ||
      (e.text && e.text.test(text)) || (e.reading && e.reading(reading)));
    if (!ok) {
      reading.recognised = false;
      reading.detail = `${profile.name}: the ${kind.page} page (${url.pathname}) no longer looks as expected`;
      reading.balances = [];
      delete reading.tasksAvailable;
    }
  }
  return reading;
}

// Is this click a "submit", an "abandon" (return/skip a task) or a "payout"? Returns {action, label} or null.
export function classifyClick(profile, target) {
  if (!target || typeof target.closest !== 'function') return null;
  for (const action of ['submit', 'abandon', 'payout']) {
    const spec = profile[action];
    if (!spec) continue;
    const el = target.closest(spec.selectors.join(','));
    if (!el) continue;
    const label = visibleText(el, 400) || cleanText(el.getAttribute('value') || el.getAttribute('aria-label') || '');
    if (!spec.text || spec.text.test(label)) return { action, label, element: el };
  }
  return null;
}
