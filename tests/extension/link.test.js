// The host link with a stub native port: ping on connect, ack/duplicate/storage/error replies, re:null,
// disconnects, silence, replay after hours offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { openQueue } from '../../extension/lib/queue.js';
import { HostLink, classifyDisconnect, backoffMinutes } from '../../extension/lib/link.js';
import { makeEvent } from '../../extension/lib/events.js';
import { validateRequest } from './helpers.js';

// A stub host: records what it receives, answers through a policy function.
export class StubPort {
  constructor(policy) {
    this.policy = policy || (() => ({ ok: true, seq: 1, duplicate: false }));
    this.sent = [];
    this.msgL = [];
    this.discL = [];
    this.error = null;
    this.onMessage = { addListener: (f) => this.msgL.push(f) };
    this.onDisconnect = { addListener: (f) => this.discL.push(f) };
    this.closed = false;
  }
  postMessage(m) {
    if (this.closed) throw new Error('port closed');
    this.sent.push(structuredClone(m));
    const r = m.type === 'ping' ? { ok: true, version: '0.1.0', schema: 5 } : this.policy(m, this);
    if (r === undefined) return; // silent
    queueMicrotask(() => this.reply({ v: 1, re: m.id, ...r }));
  }
  reply(msg) { for (const f of this.msgL) f(msg); }
  push(msg) { for (const f of this.msgL) f(msg); }
  die(message) { this.closed = true; this.error = message ? { message } : null; for (const f of this.discL) f(this); }
  disconnect() { this.closed = true; }
}

const settle = () => new Promise((r) => setTimeout(r, 30));
const ev = (n) => makeEvent('balance', { platform: 'dataannotation', account: 'ana@example.org', amount: `${n}.00`,
  currency: 'USD' }, { id: `ev-${String(n).padStart(4, '0')}`, at: '2026-07-14T09:30:00+02:00' });

async function setup(policy, opts = {}) {
  const queue = await openQueue(new IDBFactory());
  const ports = [];
  const alerts = [];
  const link = new HostLink({
    connect: () => { const p = new StubPort(policy); ports.push(p); return p; },
    queue, onAlert: (a) => alerts.push(a), window: opts.window || 4, timeoutMs: opts.timeoutMs || 1000,
  });
  return { queue, link, ports, alerts };
}

test('connect pings, then sends queued events in order and empties the queue on ok', async () => {
  const { queue, link, ports } = await setup();
  for (let i = 1; i <= 10; i++) await queue.enqueue(ev(i));
  assert.equal(await link.connect(), true);
  await settle();
  const sent = ports[0].sent;
  assert.equal(sent[0].type, 'ping');
  assert.deepEqual(sent.slice(1).map((m) => m.id), Array.from({ length: 10 }, (_, i) => ev(i + 1).id));
  for (const m of sent) assert.equal(validateRequest(m), null, JSON.stringify(m));
  assert.equal(await queue.count(), 0);
  assert.equal(link.state.host_version, '0.1.0');
  assert.equal(link.state.mismatch, false);
});

test('a duplicate ack also removes the event', async () => {
  const { queue, link } = await setup(() => ({ ok: true, seq: 3, duplicate: true }));
  await queue.enqueue(ev(1));
  await link.connect();
  await settle();
  assert.equal(await queue.count(), 0);
});

test('storage errors keep the event; later it is replayed', async () => {
  let full = true;
  const { queue, link, ports } = await setup(() => (full ? { ok: false, error: { code: 'storage', message: 'disk full' } }
    : { ok: true, seq: 9, duplicate: false }), { window: 1 });
  await queue.enqueue(ev(1));
  await queue.enqueue(ev(2));
  await link.connect();
  await settle();
  assert.equal(await queue.count(), 2);
  assert.equal((await queue.rejected()).length, 0);
  const rows = await queue.peek(5);
  assert.equal(rows[0].attempts, 1);
  assert.equal(rows[0].last_error.code, 'storage');
  full = false;
  link.holdUntil = 0;
  await link.tick();
  await settle();
  assert.equal(await queue.count(), 0);
  const ids = ports[0].sent.filter((m) => m.type === 'balance').map((m) => m.id);
  assert.deepEqual(ids, [ev(1).id, ev(1).id, ev(2).id]);
});

test('any other error moves the event to rejected, with re:null matched to the oldest request', async () => {
  let n = 0;
  const { queue, link } = await setup((m, port) => {
    n += 1;
    if (n === 2) { queueMicrotask(() => port.reply({ v: 1, re: null, ok: false, error: { code: 'bad_json', message: 'lone surrogate' } })); return undefined; }
    if (n === 3) return { ok: false, error: { code: 'bad_message', message: 'amount: too many decimals', field: 'amount' } };
    return { ok: true, seq: n, duplicate: false };
  }, { window: 1 });
  for (let i = 1; i <= 4; i++) await queue.enqueue(ev(i));
  await link.connect();
  await settle();
  assert.equal(await queue.count(), 0);
  const rej = await queue.rejected();
  assert.deepEqual(rej.map((r) => [r.id, r.error.code]), [[ev(2).id, 'bad_json'], [ev(3).id, 'bad_message']]);
  assert.equal(rej[1].error.field, 'amount');
});

test('the host crashing mid-flight loses nothing; reconnect replays in order', async () => {
  const { queue, link, ports } = await setup(() => undefined); // first host never answers
  for (let i = 1; i <= 3; i++) await queue.enqueue(ev(i));
  await link.connect();
  await settle();
  ports[0].die('Native host has exited.');
  assert.equal(link.state.connection, 'disconnected');
  assert.equal(link.state.error, 'Native host has exited.');
  assert.equal(await queue.count(), 3);
  link.connectFn = () => { const p = new StubPort(); ports.push(p); return p; };
  await link.tick();
  await settle();
  assert.equal(await queue.count(), 0);
  assert.deepEqual(ports[1].sent.filter((m) => m.type === 'balance').map((m) => m.id), [ev(1).id, ev(2).id, ev(3).id]);
});

test('host not installed is recognised (Chrome and Firefox wording)', async () => {
  assert.equal(classifyDisconnect('Specified native messaging host not found.'), 'not_installed');
  assert.equal(classifyDisconnect('No such native application org.temoin.host'), 'not_installed');
  assert.equal(classifyDisconnect('Access to the specified native messaging host is forbidden.'), 'forbidden');
  assert.equal(classifyDisconnect('Native host has exited.'), 'disconnected');
  const { link, ports } = await setup();
  const p = link.connect();
  ports[0].die('Specified native messaging host not found.');
  assert.equal(await p, false);
  assert.equal(link.state.connection, 'not_installed');
});

test('a silent host: the request times out, the port is dropped, events stay', async () => {
  const { queue, link } = await setup(() => undefined, { timeoutMs: 50 });
  await queue.enqueue(ev(1));
  await link.connect();
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(link.port, null);
  assert.equal(link.state.last_problem, 'silent');
  assert.equal(await queue.count(), 1);
});

test('replay after hours offline: 500 events go out in order once the host is back', async () => {
  const { queue, link, ports } = await setup(undefined, { window: 16 });
  link.connectFn = () => { throw new Error('Specified native messaging host not found.'); };
  assert.equal(await link.connect(), false);
  for (let i = 1; i <= 500; i++) await queue.enqueue(ev(i));
  link.connectFn = () => { const p = new StubPort(); ports.push(p); return p; };
  await link.tick();
  for (let i = 0; i < 50 && (await queue.count()) > 0; i++) await settle();
  assert.equal(await queue.count(), 0);
  const ids = ports[0].sent.filter((m) => m.type === 'balance').map((m) => m.id);
  assert.equal(ids.length, 500);
  assert.deepEqual(ids, Array.from({ length: 500 }, (_, i) => ev(i + 1).id));
});

test('alert pushes reach onAlert; queries resolve with their own reply', async () => {
  const { link, ports, alerts } = await setup((m) => (m.type === 'query.summary' ? { ok: true, generated_at: 'x', accounts: [] } : { ok: true }));
  await link.connect();
  ports[0].push({ v: 1, type: 'alert', alert: { id: 7, kind: 'balance_vanished' } });
  assert.deepEqual(alerts, [{ id: 7, kind: 'balance_vanished' }]);
  const r = await link.request({ type: 'query.summary' });
  assert.deepEqual(r.accounts, []);
});

test('a host with another schema is flagged as a mismatch', async () => {
  const queue = await openQueue(new IDBFactory());
  const link = new HostLink({ queue, connect: () => {
    const p = new StubPort();
    p.postMessage = function (m) { this.sent.push(m); queueMicrotask(() => this.reply({ v: 1, re: m.id, ok: true, version: '0.2.0', schema: 2 })); };
    return p;
  } });
  await link.connect();
  assert.equal(link.state.mismatch, true);
});

test('backoff doubles from 30 s to 5 min', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(backoffMinutes), [0.5, 1, 2, 4, 5, 5]);
});

test('events do not hammer a missing host: unforced ticks wait for the backoff, alarms force', async () => {
  let now = 0;
  let attempts = 0;
  const queue = await openQueue(new IDBFactory());
  const link = new HostLink({ queue, now: () => now,
    connect: () => { attempts += 1; throw new Error('Specified native messaging host not found.'); } });
  await link.tick(false);
  assert.equal(attempts, 1);
  now = 10000; await link.tick(false);
  assert.equal(attempts, 1, 'within 30 s of a failure an event does not retry');
  now = 31000; await link.tick(false);
  assert.equal(attempts, 2);
  now = 32000; await link.tick(true);
  assert.equal(attempts, 3, 'the alarm retries regardless');
});

test('a query arriving while the ping is in flight waits for it instead of failing', async () => {
  const { link } = await setup((m) => (m.type === 'query.alerts' ? { ok: true, alerts: [], next_after_id: null } : { ok: true }));
  const first = link.tick(false);
  const second = link.tick(false).then(() => link.request({ type: 'query.alerts' }));
  assert.equal(await first, true);
  assert.deepEqual((await second).alerts, []);
});

test('settledState waits out attempts started one after another: the popup never sees a stale "connecting"', async () => {
  const queue = await openQueue(new IDBFactory());
  let attempts = 0;
  const link = new HostLink({
    queue,
    // The host is not installed: Chrome hands back a port, then disconnects it with "not found".
    connect: () => {
      attempts += 1;
      const p = new StubPort();
      p.postMessage = () => {};
      setTimeout(() => p.die('Specified native messaging host not found.'), 10);
      return p;
    },
  });
  link.tick(true);
  const firstDone = link.connecting;
  // A second caller starts a new attempt as soon as the first one ends (as a page's event or the retry timer does).
  firstDone.then(() => { link.tick(true); });
  await firstDone;
  const state = await link.settledState();
  assert.equal(attempts, 2);
  assert.equal(state.connection, 'not_installed');
  assert.match(state.error, /not found/);
});
