// Popup and options rendering from stub data, through a stub background (runtime messages) where it matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { renderPopup, formatAmount, buildChart } from '../../extension/popup/view.js';
import { loadData, askHostForDashboard } from '../../extension/popup/data.js';
import { buildRejected, buildThresholds, readThresholds } from '../../extension/options/view.js';
import { makeT } from '../../extension/lib/i18n.js';
import { ROOT } from './helpers.js';

const en = makeT(JSON.parse(readFileSync(join(ROOT, 'extension/_locales/en/messages.json'), 'utf8')));
const fr = makeT(JSON.parse(readFileSync(join(ROOT, 'extension/_locales/fr/messages.json'), 'utf8')));
const NOW = new Date('2026-07-14T10:00:00+02:00');

const SUMMARY = { v: 1, re: 'x', ok: true, generated_at: '2026-07-14T08:00:00.000Z', accounts: [
  { platform: 'dataannotation', account: '<img src=x onerror=alert(1)>', currency: 'USD', balance: '1312.50',
    balance_at: '2026-07-14T09:30:00+02:00', unpaid_since: '2026-07-02T10:00:00+02:00', pending: '48.00',
    today: { tasks: 2, task_seconds: 5400, platform_seconds: 7200, earned: '45.00', earned_estimated: false,
      advertised_hourly: '30.00', effective_hourly: '22.50' },
    week: { tasks: 14, task_seconds: 36000, platform_seconds: 50400, earned: '300.00', earned_estimated: true,
      advertised_hourly: '30.00', effective_hourly: '21.42' },
    state: 'active', state_at: '2026-07-14T09:00:00+02:00', last_seen: '2026-07-14T09:30:00+02:00', open_alerts: 1 },
  { platform: 'prolific', account: '5f1a2b3c4d5e6f7a8b9c0d1e', currency: null, balance: null, balance_at: null,
    unpaid_since: null, pending: null,
    today: { tasks: 0, task_seconds: 0, platform_seconds: 0, earned: null, earned_estimated: false, advertised_hourly: null, effective_hourly: null },
    week: { tasks: 0, task_seconds: 0, platform_seconds: 0, earned: null, earned_estimated: false, advertised_hourly: null, effective_hourly: null },
    state: 'unreachable', state_at: '2026-07-14T09:00:00+02:00', last_seen: '2026-07-14T09:00:00+02:00', open_alerts: 0 },
] };
const ALERT = { id: 7, kind: 'balance_vanished', severity: 'critical', platform: 'dataannotation', account: 'ana@example.org',
  raised_at: '2026-07-14T09:31:00+02:00', message: '<b>Balance</b> of 1312.50 USD vanished', evidence: [1840, 1842],
  state: 'open', resolved_at: null, acknowledged_at: null };

// A stub background: answers runtime messages as background/router.js would, with host replies canned.
function stubBackground(overrides = {}) {
  const seen = [];
  const send = async (msg) => {
    seen.push(msg);
    if (msg.kind === 'status') return overrides.status || { ok: true, link: { connection: 'connected', host_version: '0.1.0', host_schema: 5, mismatch: false }, queued: 0, rejected: 0 };
    if (msg.kind === 'focus.take') return { ok: true, alert_id: overrides.focus ?? null };
    // As background/router.js: the host's queries asked by the background, each one recorded as if sent.
    if (msg.kind === 'dashboard') return { ok: true, ...(await askHostForDashboard((body) => send({ kind: 'host', body }), msg.since)) };
    if (msg.kind === 'host') {
      const b = msg.body;
      if (overrides.hostDown) return { ok: false, error: { code: 'host_unavailable', message: 'Specified native messaging host not found.' } };
      if (b.type === 'query.summary') return SUMMARY;
      if (b.type === 'query.alerts') return { v: 1, re: 'a', ok: true, alerts: [ALERT], next_after_id: null };
      if (b.type === 'query.events' && b.event_type === 'task.start') {
        return { v: 1, re: 'e', ok: true, next_after_seq: null, events: [{ seq: 7, platform: 'dataannotation',
          account: 'ana@example.org', at: '2026-07-14T09:00:00+02:00', event: { task_id: 't7', title: 'Rate <b>answers</b>' } }] };
      }
      if (b.type === 'query.balance_history') {
        return { v: 1, re: 'h', ok: true, points: [{ day: '2026-07-12', balance: '1200.00', at: '2026-07-12T18:00:00+02:00' },
          { day: '2026-07-13', balance: '1290.00', at: '2026-07-13T18:02:11+02:00' }, { day: '2026-07-14', balance: '1312.50', at: '2026-07-14T09:30:00+02:00' }] };
      }
    }
    throw new Error(`unexpected ${JSON.stringify(msg)}`);
  };
  return { send, seen };
}

function page() {
  const dom = new JSDOM('<!DOCTYPE html><main id="dash"></main>');
  return dom.window.document;
}

test('popup: balance big, unpaid age, pending, today, rates, chart, alerts with acknowledge', async () => {
  const bg = stubBackground({ focus: 7 });
  const data = await loadData(bg.send, NOW, '');
  const history = bg.seen.filter((m) => m.body && m.body.type === 'query.balance_history');
  assert.deepEqual(history.map((m) => m.body), [{ type: 'query.balance_history', platform: 'dataannotation',
    account: '<img src=x onerror=alert(1)>', currency: 'USD', days: 30 }], 'history only for rows with a currency');
  const doc = page();
  const root = doc.getElementById('dash');
  const focus = renderPopup(root, data, en, { lang: 'en' });
  const card = root.querySelector('article.account');
  assert.equal(card.querySelector('.balance').textContent, '1,312.50\u00a0USD');
  assert.equal(card.querySelector('.unpaid').textContent, 'unpaid for 12 days');
  assert.equal(card.querySelector('.pending').textContent, 'Pending: 48.00\u00a0USD');
  assert.equal(card.querySelector('.today').textContent, 'Today: 2 tasks, 2 h 00 min on the platform');
  assert.equal(card.querySelector('.effective').textContent, 'Effective: 22.50\u00a0USD/h');
  assert.equal(card.querySelector('.advertised').textContent, 'advertised: 30.00\u00a0USD/h');
  const svg = card.querySelector('svg');
  assert.equal(svg.querySelectorAll('polyline').length, 1);
  assert.equal(svg.querySelector('polyline').getAttribute('points').split(' ').length, 3);
  assert.match(svg.querySelector('title').textContent, /1200\.00 on 2026-07-12, 1312\.50 on 2026-07-14/);
  // Hostile strings stay text.
  assert.equal(root.querySelectorAll('img').length, 0);
  assert.equal(root.querySelectorAll('b').length, 0);
  assert.equal(card.querySelector('h3').textContent, 'dataannotation · <img src=x onerror=alert(1)>');
  const alert = root.querySelector('#alert-7');
  assert.equal(alert.querySelector('p').textContent, '<b>Balance</b> of 1312.50 USD vanished');
  assert.equal(alert.querySelector('button.ack').getAttribute('data-alert-id'), '7');
  assert.equal(focus, alert, 'a notification click opens the popup on its alert');
  const second = root.querySelectorAll('article.account')[1];
  assert.equal(second.querySelector('.state').textContent, en('state_unreachable'));
  assert.equal(second.querySelector('.balance'), null);
  assert.equal(root.querySelector('.queue').textContent, 'Everything seen is recorded.');
});

test('popup: host not installed shows the queue, why, and the install link', async () => {
  const bg = stubBackground({ hostDown: true, status: { ok: true, link: { connection: 'not_installed', error: 'Specified native messaging host not found.' }, queued: 42, rejected: 2 } });
  const data = await loadData(bg.send, NOW, '');
  const doc = page();
  renderPopup(doc.getElementById('dash'), data, en);
  const root = doc.getElementById('dash');
  assert.equal(root.querySelector('.queue').textContent, '42 events waiting — the host is not installed; nothing is lost, they wait here');
  assert.equal(root.querySelector('a').getAttribute('href'), '../help/install.html');
  assert.match(root.textContent, /2 events refused by the host/);
  assert.match(root.textContent, /The host could not answer: Specified native messaging host not found\./);
});

test('popup: storage trouble and version mismatch are said', () => {
  const doc = page();
  renderPopup(doc.getElementById('dash'), { status: { link: { connection: 'connected', host_version: '0.2.0', host_schema: 2, mismatch: true, last_problem: 'storage', error: 'disk full' }, queued: 3, rejected: 0 }, alerts: [], summary: null, histories: new Map() }, en);
  const t = doc.getElementById('dash').textContent;
  assert.match(t, /3 events waiting — the host could not store them \(disk full\); trying again/);
  assert.match(t, /version 0\.2\.0, schema 2/);
});

test('popup in French: amounts with French separators', () => {
  assert.equal(formatAmount('1312.50', 'EUR', 'fr'), '1\u202f312,50\u00a0EUR');
  assert.equal(formatAmount('1234567', 'JPY', 'en'), '1,234,567\u00a0JPY');
  assert.equal(formatAmount(null, 'USD'), '—');
  const doc = page();
  renderPopup(doc.getElementById('dash'), { status: null, alerts: [], summary: SUMMARY, histories: new Map(), now: NOW }, fr, { lang: 'fr' });
  assert.equal(doc.querySelector('.balance').textContent, '1\u202f312,50\u00a0USD');
  assert.equal(doc.querySelector('.unpaid').textContent, 'non payé depuis 12 jours');
});

test('chart: empty and single point', () => {
  const doc = page();
  assert.equal(buildChart(doc, [], en).querySelector('title').textContent, en('noHistory'));
  assert.equal(buildChart(doc, [{ day: '2026-07-14', balance: '5.00' }], en).querySelectorAll('circle').length, 1);
});

test('options: rejected events show the host message; thresholds read back typed', () => {
  const doc = page();
  const rows = [{ id: 'ev-1', event: { type: 'balance', platform: 'dataannotation', account: 'a', at: '2026-07-14T09:30:00+02:00' },
    error: { code: 'bad_message', message: 'amount: more decimals than USD has (2)', field: 'amount' }, rejected_at: 1 }];
  const box = buildRejected(doc, rows, en);
  assert.equal(box.querySelector('.host-message').textContent, 'bad_message (amount): amount: more decimals than USD has (2)');
  assert.equal(box.querySelector('button.retry').getAttribute('data-id'), 'ev-1');
  doc.body.append(buildThresholds(doc, { drop_tolerance: '0.01', payout_match_window_s: 3600, access_lost_hours: 24,
    dried_up_days: 3, dried_up_lookback_days: 30, no_contact_days: 7, unpaid_threshold: '100', unpaid_days: 14 }, en));
  assert.equal(doc.querySelector('label[for="s-unpaid_days"]').textContent, en('setting_unpaid_days'));
  doc.getElementById('s-unpaid_days').value = '21';
  doc.getElementById('s-unpaid_threshold').value = '250.5';
  assert.deepEqual(readThresholds(doc, { unpaid_days: 14, unpaid_threshold: '100', drop_tolerance: '0.01', payout_match_window_s: 3600,
    access_lost_hours: 24, dried_up_days: 3, dried_up_lookback_days: 30, no_contact_days: 7 }), { settings: { unpaid_days: 21, unpaid_threshold: '250.5' } });
  doc.getElementById('s-dried_up_days').value = '2.5';
  assert.deepEqual(readThresholds(doc, {}).error, 'dried_up_days');
});

test('both locales have the same keys and every key used in the pages exists', () => {
  const enM = JSON.parse(readFileSync(join(ROOT, 'extension/_locales/en/messages.json'), 'utf8'));
  const frM = JSON.parse(readFileSync(join(ROOT, 'extension/_locales/fr/messages.json'), 'utf8'));
  assert.deepEqual(Object.keys(frM).sort(), Object.keys(enM).sort());
  for (const f of ['popup/popup.html', 'options/options.html']) {
    const html = readFileSync(join(ROOT, 'extension', f), 'utf8');
    for (const m of html.matchAll(/data-i18n="([A-Za-z_]+)"/g)) assert.ok(enM[m[1]], `${f}: ${m[1]}`);
  }
});

function walk(dir) {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

test('no HTML parsing of strings, no eval, no remote code anywhere in the extension', () => {
  for (const f of walk(join(ROOT, 'extension')).filter((x) => /\.(js|html)$/.test(x))) {
    const src = readFileSync(f, 'utf8');
    assert.doesNotMatch(src, /\.innerHTML|insertAdjacentHTML|outerHTML\s*=|document\.write|\beval\(|new Function\(/, f);
    assert.doesNotMatch(src, /(src|href)="https?:/, f);
  }
});
