// The background's message router with a stub link and a fake IndexedDB: content scripts can only queue
// events of their own platform; pages get status, host queries, manual events and the rejected list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { handleMessage } from '../../extension/background/router.js';
import { openQueue } from '../../extension/lib/queue.js';
import { makeEvent, sanitizeEvent } from '../../extension/lib/events.js';
import { profileForHost } from '../../extension/adapters/profiles/index.js';
import { validateRequest } from './helpers.js';

async function ctxFor(opts = {}) {
  const q = await openQueue(new IDBFactory());
  const requests = [];
  const link = { state: { connection: 'connected', host_version: '0.1.0' }, settledState: async () => ({ ...link.state }),
    request: async (body) => { requests.push(body); if (opts.down) throw Object.assign(new Error('gone'), { code: 'host_unavailable' }); return { v: 1, re: 'x', ok: true, config: {} }; } };
  const store = { focusAlert: 9 };
  return {
    q, requests,
    ctx: { fromExtensionPage: opts.page ?? false, senderHost: opts.host ?? null, queue: async () => q, getLink: async () => link,
      sanitizeEvent, makeEvent, profileForHost,
      storage: { get: async (k) => ({ [k]: store[k] }), remove: async (k) => { delete store[k]; } } },
  };
}

const daEvent = () => makeEvent('balance', { platform: 'dataannotation', account: 'ana@example.org', amount: '10.00', currency: 'USD' });

test('a content script queues events of its own platform only', async () => {
  const { q, ctx } = await ctxFor({ host: 'app.dataannotation.tech' });
  const ev = daEvent();
  const r = await handleMessage({ kind: 'event', event: ev }, ctx);
  assert.deepEqual(r, { ok: true, stored: true, id: ev.id });
  assert.equal((await handleMessage({ kind: 'event', event: ev }, ctx)).stored, false, 'same id twice: once');
  assert.equal(await q.count(), 1);
  const other = makeEvent('balance', { platform: 'prolific', account: 'p', amount: '1.00', currency: 'GBP' });
  await assert.rejects(handleMessage({ kind: 'event', event: other }, ctx), /unexpected page/);
  await assert.rejects(handleMessage({ kind: 'status' }, ctx), /not allowed/);
  await assert.rejects(handleMessage({ kind: 'host', body: { type: 'query.summary' } }, ctx), /not allowed/);
});

test('events from content scripts are rebuilt: extra fields dropped, strings capped', async () => {
  const { q, ctx } = await ctxFor({ host: 'app.dataannotation.tech' });
  const ev = { ...makeEvent('task.start', { platform: 'dataannotation', account: 'a', task_id: 't1' }), evil: 1, title: 'x'.repeat(5000) };
  await handleMessage({ kind: 'event', event: ev }, ctx);
  const [row] = await q.peek(1);
  assert.equal(row.event.evil, undefined);
  assert.equal(Buffer.byteLength(row.event.title), 1024);
  assert.equal(validateRequest(row.event), null);
});

test('pages: manual events, status, host queries, rejected retry, focus', async () => {
  const { q, ctx, requests } = await ctxFor({ page: true });
  const m = await handleMessage({ kind: 'manual', type: 'payout', fields: { platform: 'manual', account: 'me', amount: '20.00', currency: 'EUR', method: 'paypal' } }, ctx);
  assert.equal(m.ok, true);
  assert.equal(validateRequest(m.event), null);
  const s = await handleMessage({ kind: 'status' }, ctx);
  assert.equal(s.queued, 1);
  assert.equal(s.link.connection, 'connected');
  const r = await handleMessage({ kind: 'host', body: { type: 'config.get', platform: 'manual', account: 'me' } }, ctx);
  assert.equal(r.ok, true);
  assert.deepEqual(requests, [{ type: 'config.get', platform: 'manual', account: 'me' }]);
  await assert.rejects(handleMessage({ kind: 'host', body: { type: 'balance' } }, ctx), /not a query/);
  await q.reject(m.id, { code: 'bad_message', message: 'x' });
  assert.equal((await handleMessage({ kind: 'rejected.list' }, ctx)).rejected.length, 1);
  assert.equal((await handleMessage({ kind: 'rejected.retry', id: m.id }, ctx)).ok, true);
  assert.equal(await q.count(), 1);
  assert.deepEqual(await handleMessage({ kind: 'focus.take' }, ctx), { ok: true, alert_id: 9 });
  assert.deepEqual(await handleMessage({ kind: 'focus.take' }, ctx), { ok: true, alert_id: null });
});

test('a query while the host is down answers with an error, not a throw', async () => {
  const { ctx } = await ctxFor({ page: true, down: true });
  const r = await handleMessage({ kind: 'host', body: { type: 'query.summary' } }, ctx);
  assert.deepEqual(r, { ok: false, error: { code: 'host_unavailable', message: 'gone' } });
});

test("dashboard: the popup's host queries in one message, the histories for accounts with a balance only", async () => {
  const q = await openQueue(new IDBFactory());
  const asked = [];
  const acct = (account, currency) => ({ platform: 'prolific', account, currency });
  const link = { request: async (body) => {
    asked.push(body);
    if (body.type === 'query.summary') return { ok: true, accounts: [acct('a', 'GBP'), acct('b', null)] };
    if (body.type === 'query.balance_history') return { ok: true, points: [{ day: '2026-07-14', balance: '3.00' }] };
    if (body.type === 'query.events') return { ok: true, events: [] };
    return { ok: true, alerts: [] };
  } };
  const ctx = { fromExtensionPage: true, queue: async () => q, getLink: async () => link };
  const r = await handleMessage({ kind: 'dashboard', since: '2026-07-13T22:00:00.000Z' }, ctx);
  assert.equal(r.ok, true);
  assert.deepEqual(r.histories, [['prolific|a|GBP', [{ day: '2026-07-14', balance: '3.00' }]]]);
  assert.deepEqual(asked.map((b) => b.type), ['query.summary', 'query.alerts', 'query.events', 'query.balance_history']);
  for (const body of asked) assert.equal(validateRequest({ v: 1, ...body, id: 'q-1' }), null, JSON.stringify(body));
  assert.equal(asked[2].since, '2026-07-13T22:00:00.000Z');
  await assert.rejects(handleMessage({ kind: 'dashboard' }, ctx), /needs since/);
  await assert.rejects(handleMessage({ kind: 'dashboard', since: 'x' }, { ...ctx, fromExtensionPage: false }), /not allowed/);
});

test('dashboard while the host is down: each part says why, nothing throws', async () => {
  const { ctx } = await ctxFor({ page: true, down: true });
  const r = await handleMessage({ kind: 'dashboard', since: '2026-07-13T22:00:00.000Z' }, ctx);
  assert.equal(r.ok, true);
  for (const part of [r.summary, r.alerts, r.started]) assert.deepEqual(part, { ok: false, error: { code: 'host_unavailable', message: 'gone' } });
  assert.deepEqual(r.histories, []);
});
