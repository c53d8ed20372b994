// The events' ids: UUIDs of version 7, so that the host's unique index on them grows at its right edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeEvent, newId } from '../../extension/lib/events.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CONTRACT_ID = /^[A-Za-z0-9._:-]{1,64}$/;  // schema/messages/defs.schema.json

const timeOf = (id) => parseInt(id.replaceAll('-', '').slice(0, 12), 16);

test('an id is a version 7 UUID that the contract accepts', () => {
  for (let i = 0; i < 200; i++) {
    const id = newId();
    assert.match(id, UUID_V7);
    assert.match(id, CONTRACT_ID);
  }
});

test('an id starts with its time in milliseconds, big-endian', () => {
  const ms = Date.UTC(2026, 11, 5, 23, 30, 0, 123);
  const id = newId(ms, (b) => b.fill(0));
  assert.equal(id, `${ms.toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-')}-7000-8000-000000000000`);
  assert.equal(timeOf(id), ms);
  assert.equal(timeOf(newId(0, (b) => b.fill(0xff))), 0, 'the random bytes do not leak into the time');
  assert.equal(newId(0, (b) => b.fill(0xff)), '00000000-0000-7fff-bfff-ffffffffffff', 'version and variant set');
});

test('ids of later milliseconds sort after earlier ones, as text', () => {
  const start = Date.UTC(2026, 0, 1);
  const ids = [];
  for (let k = 0; k < 50; k++) ids.push(newId(start + k * 997));
  assert.deepEqual([...ids].sort(), ids);
});

test('ids of the same millisecond differ', () => {
  const ms = Date.now();
  const seen = new Set();
  for (let i = 0; i < 1000; i++) seen.add(newId(ms));
  assert.equal(seen.size, 1000);
});

test('an event gets a fresh id of the current time unless it is given one', () => {
  const before = Date.now();
  const ev = makeEvent('heartbeat', { platform: 'prolific', account: 'p1' });
  const after = Date.now();
  assert.match(ev.id, UUID_V7);
  assert.ok(timeOf(ev.id) >= before && timeOf(ev.id) <= after);
  const given = makeEvent('heartbeat', { platform: 'prolific', account: 'p1' }, { id: 'kept-1' });
  assert.equal(given.id, 'kept-1');
});
