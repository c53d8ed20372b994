// The popup's snapshot (extension/popup/snapshot.js): the last dashboard drawn, shown at once on the next open
// while the worker and the host start, replaced by the live figures, kept when the host cannot answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { renderPopup } from '../../extension/popup/view.js';
import { SNAPSHOT_KEY, toSnapshot, fromSnapshot, loadSnapshot, saveSnapshot, withOfflineFallback }
  from '../../extension/popup/snapshot.js';
import { makeT } from '../../extension/lib/i18n.js';
import { ROOT } from './helpers.js';

const messages = JSON.parse(readFileSync(join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));
const en = makeT(messages);
const TAKEN = new Date('2026-07-14T08:00:00Z');

function row(account, balance) {
  return { platform: 'dataannotation', account, currency: 'USD', balance, balance_at: '2026-07-14T07:30:00Z',
    unpaid_since: '2026-07-02T08:00:00Z', pending: null,
    today: { tasks: 3, task_seconds: 3600, platform_seconds: 5400, earned: '30.00', earned_estimated: false,
      advertised_hourly: '30.00', effective_hourly: '20.00' },
    week: { tasks: 3 }, state: 'active', state_at: null, last_seen: '2026-07-14T07:30:00Z', open_alerts: 1 };
}
const ALERT = { id: 9, kind: 'balance_dropped', severity: 'warning', platform: 'dataannotation', account: 'ana',
  raised_at: '2026-07-14T07:31:00Z', message: 'Balance <i>dropped</i>', state: 'open' };

function liveData(balance = '1312.50') {
  return {
    status: { ok: true, link: { connection: 'connected', host_version: '0.1.0' }, queued: 0, rejected: 0 },
    summary: { ok: true, accounts: [row('ana', balance)] }, summaryError: null, alerts: [ALERT], focusAlert: null,
    histories: new Map([['dataannotation|ana|USD', [{ day: '2026-07-13', balance: '1200.00' }, { day: '2026-07-14', balance }]]]),
    now: TAKEN,
    todayTasks: [{ platform: 'dataannotation', account: 'ana', task_id: 't1', title: '<script>x</script>', at: '2026-07-14T07:00:00Z' }],
  };
}

// A Web Storage (localStorage) in memory: strings only, like the real one.
function memoryStorage(initial = {}) {
  const items = {};
  for (const [k, v] of Object.entries(initial)) items[k] = JSON.stringify(v);
  return {
    items,
    stored(key) { return key in items ? JSON.parse(items[key]) : undefined; },
    getItem(key) { return key in items ? items[key] : null; },
    setItem(key, value) { items[key] = String(value); },
  };
}

test('snapshot: what is saved comes back as the same dashboard, marked stale as of when it was taken', () => {
  const storage = memoryStorage();
  assert.equal(saveSnapshot(storage, liveData()), true);
  assert.equal(storage.stored(SNAPSHOT_KEY).taken_at, TAKEN.toISOString());
  const snap = loadSnapshot(storage);
  assert.deepEqual(snap.summary, liveData().summary);
  assert.deepEqual([...snap.histories.entries()], [...liveData().histories.entries()]);
  assert.deepEqual(snap.todayTasks, liveData().todayTasks);
  assert.equal(snap.now.getTime(), TAKEN.getTime(), '"today" and ages are as of the snapshot');
  assert.equal(snap.status, null, 'the connection state is never taken from a snapshot');
  assert.deepEqual(snap.stale, { since: TAKEN.toISOString(), reason: 'loading' });
});

test('snapshot: nothing is saved without a summary; damaged or foreign snapshots are ignored; storage trouble is not an error', () => {
  const storage = memoryStorage();
  assert.equal(saveSnapshot(storage, { ...liveData(), summary: null }), false);
  assert.equal(SNAPSHOT_KEY in storage.items, false);
  assert.equal(loadSnapshot(storage), null);
  storage.items[SNAPSHOT_KEY] = '{not json';
  assert.equal(loadSnapshot(storage), null);
  const full = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); } };
  assert.equal(loadSnapshot(full), null);
  assert.equal(saveSnapshot(full, liveData()), false);
  assert.equal(loadSnapshot(null), null, 'storage disabled');
  assert.equal(saveSnapshot(null, liveData()), false);
  for (const bad of [null, 'x', { v: 2 }, { v: 1, taken_at: 'yesterday', summary: { accounts: [] } },
    { v: 1, taken_at: TAKEN.toISOString() }, { v: 1, taken_at: TAKEN.toISOString(), summary: { accounts: 'no' } }]) {
    assert.equal(fromSnapshot(bad), null, JSON.stringify(bad));
  }
  const odd = fromSnapshot({ ...toSnapshot(liveData()), histories: [['k', [1]], 'junk', ['only-key']], alerts: 'x' });
  assert.deepEqual([...odd.histories.keys()], ['k']);
  assert.deepEqual(odd.alerts, []);
});

test('snapshot: drawn under a dated banner, its actions disabled, hostile text still text', () => {
  const doc = new JSDOM('<main id="dash"></main>').window.document;
  const root = doc.getElementById('dash');
  renderPopup(root, fromSnapshot(toSnapshot(liveData())), en, { lang: 'en' });
  assert.equal(root.getAttribute('data-source'), 'snapshot');
  const banner = root.querySelector('[data-stale="loading"]');
  assert.match(banner.textContent, /^Last known figures, from 14 Jul 2026, \d\d:\d\d\. Updating…$/);
  assert.equal(root.querySelector('.balance').textContent, '1,312.50\u00a0USD');
  assert.ok(root.querySelector('button.ack').disabled, 'acknowledging needs the host');
  assert.ok(root.querySelector('button.export').disabled, 'exporting needs the host');
  assert.equal(root.querySelector('script'), null);
  assert.equal(root.querySelector('i'), null);
  renderPopup(root, liveData('1400.00'), en, { lang: 'en' });
  assert.equal(root.getAttribute('data-source'), 'live');
  assert.equal(root.querySelector('[data-stale]'), null);
  assert.equal(root.querySelector('button.ack').disabled, false);
});

test('snapshot: when the host cannot answer, its figures stay under the live status and error', () => {
  const snap = fromSnapshot(toSnapshot(liveData()));
  const down = { ...liveData(), summary: null, alerts: [], histories: new Map(), todayTasks: [],
    summaryError: 'Specified native messaging host not found.', focusAlert: 9,
    status: { ok: true, link: { connection: 'not_installed' }, queued: 5, rejected: 0 } };
  const shown = withOfflineFallback(down, snap);
  assert.equal(shown.stale.reason, 'offline');
  assert.equal(shown.status, down.status);
  assert.equal(shown.summaryError, down.summaryError);
  assert.equal(shown.focusAlert, 9);
  assert.deepEqual(shown.summary, snap.summary);
  const doc = new JSDOM('<main id="dash"></main>').window.document;
  const root = doc.getElementById('dash');
  renderPopup(root, shown, en, { lang: 'en' });
  assert.match(root.querySelector('[data-stale="offline"]').textContent, /^The host is not answering: these are the last known figures, from /);
  assert.match(root.textContent, /5 events waiting/);
  assert.match(root.textContent, /The host could not answer: Specified native messaging host not found\./);
  assert.equal(withOfflineFallback(down, null), down, 'no snapshot: the live answer as it is');
  const live = liveData();
  assert.equal(withOfflineFallback(live, snap), live, 'live figures always win');
});

// popup.js itself, in jsdom, with a stub chrome: the snapshot is on screen while the live figures are awaited,
// then replaced; the live figures become the next snapshot.
test('popup.js: snapshot first, then the live figures, then saved for next time', async () => {
  const html = readFileSync(join(ROOT, 'extension/popup/popup.html'), 'utf8');
  const dom = new JSDOM(html, { url: 'chrome-extension://abc/popup/popup.html' });
  const storage = memoryStorage({ [SNAPSHOT_KEY]: toSnapshot(liveData('1000.00')) });
  let releaseHost;
  const hostGate = new Promise((resolve) => { releaseHost = resolve; });
  const live = liveData('1400.00');
  const chrome = {
    i18n: { getMessage: (key, subs) => en(key, ...(subs || [])), getUILanguage: () => 'en' },
    runtime: {
      async sendMessage(msg) {
        if (msg.kind === 'status') return live.status;
        if (msg.kind === 'focus.take') return { ok: true, alert_id: null };
        if (msg.kind !== 'dashboard') throw new Error(`unexpected ${JSON.stringify(msg)}`);
        await hostGate; // the worker and the host starting
        return { ok: true, summary: { ok: true, accounts: live.summary.accounts }, alerts: { ok: true, alerts: [] },
          started: { ok: true, events: [] }, histories: [] };
      },
    },
  };
  const saved = { document: globalThis.document, chrome: globalThis.chrome, location: globalThis.location, window: globalThis.window };
  Object.assign(globalThis, { document: dom.window.document, chrome, location: dom.window.location, window: { localStorage: storage } });
  try {
    await import(`../../extension/popup/popup.js?snapshot-test=${Date.now()}`);
    const root = dom.window.document.getElementById('dash');
    const until = async (cond, what) => {
      for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
      assert.ok(cond(), what);
    };
    await until(() => root.getAttribute('data-source') === 'snapshot', 'the snapshot is drawn before the host answers');
    assert.equal(root.getAttribute('aria-busy'), 'true', 'still loading while the snapshot is shown');
    assert.equal(root.querySelector('.balance').textContent, '1,000.00\u00a0USD');
    releaseHost();
    await until(() => root.getAttribute('aria-busy') === 'false', 'the live figures are drawn');
    assert.equal(root.getAttribute('data-source'), 'live');
    assert.equal(root.querySelector('.balance').textContent, '1,400.00\u00a0USD');
    assert.equal(root.querySelector('[data-stale]'), null);
    assert.equal(storage.stored(SNAPSHOT_KEY).summary.accounts[0].balance, '1400.00', 'the live figures are saved');
  } finally {
    Object.assign(globalThis, saved);
  }
});
