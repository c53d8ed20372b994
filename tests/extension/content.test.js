// The content script in a jsdom page with a stub `chrome`: what reaches the background, and when.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { ROOT, validateRequest } from './helpers.js';

const FIX = join(ROOT, 'tests', 'fixtures', 'platforms');
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const booted = [];
// Whatever a test left running (intervals, observers, windows) is stopped after it.
afterEach(() => { for (const b of booted.splice(0)) { b.mod.stop(); b.w.close(); } });

// Load a fixture as the page at `url`, a fresh copy of content/main.js, and a stub chrome API.
async function boot(platform, file, url, { storage = {}, failFirst = 0 } = {}) {
  const dom = new JSDOM(readFileSync(join(FIX, platform, file), 'utf8'), { url, pretendToBeVisual: true });
  const w = dom.window;
  const sent = [];
  let failures = failFirst;
  const store = { ...storage };
  Object.assign(globalThis, { window: w, document: w.document, location: w.location, MutationObserver: w.MutationObserver });
  globalThis.chrome = {
    runtime: { sendMessage: async (msg) => {
      if (failures > 0) { failures -= 1; throw new Error('Could not establish connection. Receiving end does not exist.'); }
      sent.push(msg.event); return { ok: true, stored: true };
    } },
    storage: { local: { get: async (k) => ({ [k]: store[k] }), set: async (o) => { Object.assign(store, structuredClone(o)); } } },
  };
  w.document.hasFocus = () => true;
  n += 1;
  const mod = await import(`../../extension/content/main.js?instance=${n}`);
  booted.push({ mod, w });
  return { dom, w, sent, store, mod };
}

test('DataAnnotation payments page: state, balance and heartbeat reach the background; withdraw is remembered', async () => {
  const { w, sent, mod, store } = await boot('dataannotation', 'payments.html', 'https://app.dataannotation.tech/workers/payments');
  await mod.start({ settleMs: 50 });
  await wait(50);
  assert.deepEqual(sent.map((e) => e.type), ['account.status', 'balance', 'heartbeat']);
  assert.equal(sent[1].amount, '1312.50');
  assert.equal(sent[2].url, 'https://app.dataannotation.tech/workers/payments');
  assert.equal(sent[2].focused, true);
  for (const e of sent) assert.equal(validateRequest(e), null);
  assert.equal(new Set(sent.map((e) => e.id)).size, 3);
  assert.equal(store['mem:dataannotation'].lastAccount, 'ana@example.org');
  w.document.querySelector('button').dispatchEvent(new w.MouseEvent('click', { bubbles: true }));
  await wait(50);
  assert.equal(sent.length, 3, 'the click alone records nothing');
  assert.equal(store['mem:dataannotation'].payoutRequests['ana@example.org|USD'].amount, '1312.50');
  mod.stop();
});

test('events observed while the background is unreachable are kept and sent when it answers', async () => {
  const { sent, mod } = await boot('dataannotation', 'dashboard.html', 'https://app.dataannotation.tech/workers/projects', { failFirst: 2 });
  await mod.start();
  await wait(50);
  assert.equal(sent.length, 0);
  await wait(3200);
  assert.deepEqual(sent.map((e) => e.type), ['account.status', 'heartbeat']);
  assert.equal(sent[1].tasks_available, 15);
  mod.stop();
});

test('MTurk stays silent until the worker enables it', async () => {
  const off = await boot('mturk', 'dashboard.html', 'https://worker.mturk.com/dashboard');
  await off.mod.start();
  await wait(50);
  assert.equal(off.sent.length, 0);
  off.w.document.querySelector('th').dispatchEvent(new off.w.MouseEvent('click', { bubbles: true }));
  off.mod.stop();
  const on = await boot('mturk', 'dashboard.html', 'https://worker.mturk.com/dashboard', { storage: { 'enabled:mturk': true } });
  await on.mod.start();
  await wait(50);
  assert.deepEqual(on.sent.map((e) => [e.type, e.amount]), [['account.status', undefined], ['balance', '12.34'], ['heartbeat', undefined]]);
  on.mod.stop();
});

test('a single-page app: a URL change to a study starts the task; a redesign is reported after the grace period', async () => {
  const { w, sent, mod } = await boot('prolific', 'dashboard.html', 'https://app.prolific.com/studies');
  await mod.start({ settleMs: 100, graceMs: 200 });
  await wait(50);
  assert.deepEqual(sent.map((e) => e.type), ['account.status', 'balance', 'heartbeat']);
  assert.equal(sent[1].currency, 'GBP');
  assert.equal(sent[2].tasks_available, 3);
  // The app swaps the page without loading.
  w.history.pushState({}, '', '/studies/64a1b2c3d4e5f6a7b8c9d0e2');
  w.document.querySelector('main').replaceChildren();
  const h1 = w.document.createElement('h1');
  h1.setAttribute('data-testid', 'study-title');
  h1.textContent = 'Decision making';
  w.document.querySelector('main').append(h1);
  await wait(1500);
  const start = sent.find((e) => e.type === 'task.start');
  assert.ok(start, 'task.start after the URL change');
  assert.equal(start.task_id, '64a1b2c3d4e5f6a7b8c9d0e2');
  assert.equal(start.title, 'Decision making');
  // Back to a studies page that no longer looks like one.
  w.history.pushState({}, '', '/studies');
  w.document.getElementById('root').replaceChildren(w.document.createElement('p'));
  await wait(1800);
  const unreachable = sent.find((e) => e.type === 'account.status' && e.state === 'unreachable');
  assert.ok(unreachable, 'unreachable reported');
  assert.equal(unreachable.account, '5f1a2b3c4d5e6f7a8b9c0d1e');
  assert.match(unreachable.detail, /dashboard page/);
  mod.stop();
});
