import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDBFactory } from 'fake-indexeddb';
import { openQueue } from '../../extension/lib/queue.js';
import { makeEvent } from '../../extension/lib/events.js';

const ev = (n, extra = {}) => makeEvent('heartbeat', { platform: 'prolific', account: 'p1', ...extra },
  { id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, at: '2026-07-14T09:30:00+02:00' });

test('events come out in the order they went in, and leave only on ack', async () => {
  const q = await openQueue(new IDBFactory());
  for (let i = 1; i <= 5; i++) assert.equal(await q.enqueue(ev(i)), true);
  assert.deepEqual((await q.peek(10)).map((r) => r.event.id.slice(-1)), ['1', '2', '3', '4', '5']);
  assert.equal(await q.ack(ev(2).id), true);
  assert.equal(await q.ack(ev(2).id), false, 'a second ack finds nothing');
  assert.deepEqual((await q.peek(10)).map((r) => r.event.id.slice(-1)), ['1', '3', '4', '5']);
  assert.equal(await q.count(), 4);
});

test('the same observation queued twice is stored once', async () => {
  const q = await openQueue(new IDBFactory());
  assert.equal(await q.enqueue(ev(1)), true);
  assert.equal(await q.enqueue(ev(1)), false);
  assert.equal(await q.count(), 1);
});

test('a crash between store and send: a new background finds the event and sends it', async () => {
  const idb = new IDBFactory();
  const q1 = await openQueue(idb);
  await q1.enqueue(ev(7));
  q1.close(); // the service worker dies here, before postMessage
  const q2 = await openQueue(idb);
  const rows = await q2.peek(10);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].event.id, ev(7).id);
  assert.equal(rows[0].event.type, 'heartbeat');
});

test('two writers at once lose nothing', async () => {
  const idb = new IDBFactory();
  const [a, b] = await Promise.all([openQueue(idb), openQueue(idb)]);
  const writes = [];
  for (let i = 0; i < 100; i++) writes.push((i % 2 ? a : b).enqueue(ev(i)));
  await Promise.all(writes);
  assert.equal(await a.count(), 100);
  const ids = new Set((await b.peek(200)).map((r) => r.id));
  assert.equal(ids.size, 100);
});

test('reject moves an event to the rejected list with the host message; retry puts it back', async () => {
  const q = await openQueue(new IDBFactory());
  await q.enqueue(ev(1));
  await q.enqueue(ev(2));
  const err = { code: 'bad_message', message: 'at: more than 24 h ahead', field: 'at' };
  assert.equal(await q.reject(ev(1).id, err, 1000), true);
  assert.equal(await q.count(), 1);
  const rej = await q.rejected();
  assert.equal(rej.length, 1);
  assert.deepEqual(rej[0].error, err);
  assert.equal(rej[0].event.id, ev(1).id);
  assert.equal(await q.enqueue(ev(1)), false, 'a rejected id is not queued again behind the user\'s back');
  assert.equal(await q.retryRejected(ev(1).id), true);
  assert.equal((await q.rejected()).length, 0);
  assert.deepEqual((await q.peek(5)).map((r) => r.id), [ev(2).id, ev(1).id]);
});

test('kv state survives reopening', async () => {
  const idb = new IDBFactory();
  const q = await openQueue(idb);
  await q.set('last', { a: 1 });
  q.close();
  const q2 = await openQueue(idb);
  assert.deepEqual(await q2.get('last'), { a: 1 });
});
