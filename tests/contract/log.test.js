// What docs/protocol.md says of the log, checked on the real host: query.events filters and paging, the hash chain
// (re-computed here from the documented algorithm, without the host's code), idempotency, balance_history.
import { test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startHost } from './host_client.js';
import { check, replySchemaFor } from './schemas.js';
import { gap } from './known_gaps.js';

// Every test can be marked a known gap in known_gaps.js.
const test = (name, fn) => nodeTest(name, gap(name), fn);

const show = (m) => JSON.stringify(m).slice(0, 400);

async function withHost(fn) {
  const host = startHost();
  try {
    return await fn(host);
  } finally {
    await host.dispose();
  }
}

async function ok(host, message) {
  const reply = await host.request(message);
  assert.equal(reply.ok, true, `${message.type} ${message.id}: ${show(reply)}`);
  const r = check(replySchemaFor(message.type), reply);
  assert.ok(r.valid, `${show(reply)}: ${JSON.stringify(r.errors.slice(0, 3))}`);
  return reply;
}

let qn = 0;
const events = (host, filter) => ok(host, { v: 1, type: 'query.events', id: `q-${++qn}`, ...filter });

/** RFC 8785 for what event bodies hold (strings, integers, booleans, null, objects, arrays): keys sorted by UTF-16
 * code units, no white space, strings escaped as ECMAScript's JSON.stringify does. */
function jcs(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${jcs(value[k])}`).join(',')}}`;
}

const AT = (minute) => `2026-01-15T10:${String(minute).padStart(2, '0')}:00Z`;
const hb = (id, minute, extra = {}) => ({ v: 1, type: 'heartbeat', id, platform: 'prolific', account: 'P-5f3a', at: AT(minute), ...extra });

test('query.events: since is inclusive, until exclusive, event_type, platform and account filter, paging by after_seq', async () => {
  await withHost(async (host) => {
    for (let m = 0; m < 5; m++) await ok(host, hb(`f-${m}`, m));
    await ok(host, { v: 1, type: 'balance', id: 'f-bal', platform: 'prolific', account: 'P-5f3a', at: AT(2), amount: '1.00', currency: 'GBP' });
    await ok(host, { ...hb('f-other', 2), platform: 'toloka', account: 'worker-88' });

    const window = await events(host, { since: AT(1), until: AT(3), event_type: 'heartbeat', platform: 'prolific', account: 'P-5f3a' });
    assert.deepEqual(window.events.map((e) => e.id), ['f-1', 'f-2']);
    assert.equal(window.next_after_seq, null);

    const zoned = await events(host, { since: '2026-01-15T11:01:00+01:00', until: '2026-01-15T11:02:00+01:00', event_type: 'heartbeat' });
    assert.deepEqual(zoned.events.map((e) => e.id), ['f-1'], 'since and until compare instants, whatever the offset');

    // (Only heartbeats: the host may log alerts of its own about these old events.)
    const page1 = await events(host, { limit: 4, event_type: 'heartbeat' });
    assert.deepEqual(page1.events.map((e) => e.id), ['f-0', 'f-1', 'f-2', 'f-3']);
    assert.equal(page1.next_after_seq, page1.events[3].seq);
    const page2 = await events(host, { limit: 4, event_type: 'heartbeat', after_seq: page1.next_after_seq });
    assert.deepEqual(page2.events.map((e) => e.id), ['f-4', 'f-other']);
    assert.equal(page2.next_after_seq, null);

    const balances = await events(host, { event_type: 'balance' });
    assert.deepEqual(balances.events.map((e) => e.id), ['f-bal']);
    const toloka = await events(host, { platform: 'toloka', event_type: 'heartbeat' });
    assert.deepEqual(toloka.events.map((e) => e.id), ['f-other']);
    await host.close();
  });
});

test('the chain: each account has its own, from 64 zeros; every hash re-computes from the documented formula', async () => {
  await withHost(async (host) => {
    await ok(host, hb('c-1', 1));
    await ok(host, { ...hb('c-2', 2), platform: 'toloka', account: 'worker-88' });
    await ok(host, { v: 1, type: 'task.start', id: 'c-3', platform: 'prolific', account: 'P-5f3a', at: AT(3), task_id: 'T-é"\\\u0001😀',
      title: 'Quotes " backslash \\ tab \t and \u2028', rate: { amount: '12.50', currency: 'GBP', per: 'hour' } });
    await ok(host, { ...hb('c-4', 4), focused: true, tasks_available: 12 });
    const rows = (await events(host, { limit: 1000 })).events; // with the host's own events, chained the same way
    assert.deepEqual(rows.filter((r) => !r.id.startsWith('host:')).map((r) => r.id), ['c-1', 'c-2', 'c-3', 'c-4']);
    const lastHash = new Map();
    for (const row of rows) {
      const key = `${row.platform}\u0000${row.account}`;
      assert.equal(row.prev_hash, lastHash.get(key) ?? '0'.repeat(64), `prev_hash of seq ${row.seq}`);
      const canonical = jcs({ seq: row.seq, received_at: row.received_at, event: row.event });
      const hash = crypto.createHash('sha256').update(Buffer.from(row.prev_hash, 'ascii')).update(Buffer.from(canonical, 'utf8')).digest('hex');
      assert.equal(row.hash, hash, `hash of seq ${row.seq} (canonical row ${canonical.slice(0, 200)})`);
      lastHash.set(key, row.hash);
    }
    await host.close();
  });
});

test('idempotency: the same body with its keys in another order is the same body (duplicate: true)', async () => {
  await withHost(async (host) => {
    const first = await ok(host, { v: 1, type: 'payout', id: 'p-1', platform: 'prolific', account: 'P-5f3a', at: AT(5), amount: '20.00', currency: 'GBP', method: 'paypal' });
    const again = await ok(host, { method: 'paypal', currency: 'GBP', amount: '20.00', at: AT(5), account: 'P-5f3a', platform: 'prolific', id: 'p-1', type: 'payout', v: 1 });
    assert.deepEqual([again.seq, again.duplicate], [first.seq, true]);
    const missingField = await host.request({ v: 1, type: 'payout', id: 'p-1', platform: 'prolific', account: 'P-5f3a', at: AT(5), amount: '20.00', currency: 'GBP' });
    assert.deepEqual([missingField.ok, missingField.error?.code, missingField.error?.field], [false, 'bad_message', 'id'], 'a body without method is a different body');
    assert.equal((await events(host, { event_type: 'payout' })).events.length, 1);
    await host.close();
  });
});

test('query.balance_history: the last balance of each local day, oldest first, within `days`', async () => {
  await withHost(async (host) => {
    // TZ is UTC in the tests (host_client.js), so local days are UTC days.
    const day = (n) => new Date(Date.now() - n * 86400e3).toISOString().slice(0, 10);
    const bal = (id, n, time, amount) => ({ v: 1, type: 'balance', id, platform: 'prolific', account: 'P-5f3a', at: `${day(n)}T${time}Z`, amount, currency: 'GBP' });
    await ok(host, bal('h-1', 3, '09:00:00', '10.00'));
    await ok(host, bal('h-2', 3, '18:00:00', '12.00'));
    await ok(host, bal('h-3', 1, '08:00:00', '15.00'));
    await ok(host, bal('h-0', 40, '08:00:00', '1.00'));
    await ok(host, { ...bal('h-eur', 1, '09:00:00', '99.00'), currency: 'EUR' });
    const reply = await ok(host, { v: 1, type: 'query.balance_history', id: 'bh-1', platform: 'prolific', account: 'P-5f3a', currency: 'GBP' });
    assert.deepEqual(reply.points, [
      { day: day(3), balance: '12.00', at: `${day(3)}T18:00:00Z` },
      { day: day(1), balance: '15.00', at: `${day(1)}T08:00:00Z` },
    ]);
    const longer = await ok(host, { v: 1, type: 'query.balance_history', id: 'bh-2', platform: 'prolific', account: 'P-5f3a', currency: 'GBP', days: 60 });
    assert.deepEqual(longer.points.map((p) => p.balance), ['1.00', '12.00', '15.00']);
    await host.close();
  });
});

test('query.summary: task and platform time, earned (estimated from an hourly rate), advertised and effective hourly', async () => {
  await withHost(async (host) => {
    // Everything within the last 2 hours, so inside `week` (the last 7 local days) whatever the time of day.
    const now = Date.now() - (Date.now() % 1000);
    const ago = (min) => new Date(now - min * 60e3).toISOString().replace('.000Z', 'Z');
    const base = { v: 1, platform: 'prolific', account: 'P-sum' };
    const send = (type, id, min, extra) => ok(host, { ...base, type, id, at: ago(min), ...extra });
    await send('task.start', 's-1', 120, { task_id: 'T1', rate: { amount: '12.00', currency: 'GBP', per: 'hour' } });
    await send('task.submit', 's-2', 90, { task_id: 'T1' }); // 1800 s on task, earned estimated: 6.00
    await send('task.start', 's-3', 60, { task_id: 'T2', rate: { amount: '1.50', currency: 'GBP', per: 'task' } });
    await send('task.submit', 's-4', 50, { task_id: 'T2', duration_s: 300, earned: { amount: '2.00', currency: 'GBP' } });
    await send('task.submit', 's-5', 50, { task_id: 'T2', duration_s: 300, earned: { amount: '2.00', currency: 'GBP' } }); // a reload: the same task
    await send('heartbeat', 's-6', 50, {});
    await send('heartbeat', 's-7', 50, {}); // a second tab at the same moment
    await send('heartbeat', 's-8', 49.5, {});
    await send('balance', 's-9', 45, { amount: '8.00', currency: 'GBP' });
    const reply = await ok(host, { v: 1, type: 'query.summary', id: 'sum', platform: 'prolific', account: 'P-sum' });
    assert.equal(reply.accounts.length, 1, show(reply));
    const row = reply.accounts[0];
    assert.equal(row.currency, 'GBP');
    assert.equal(row.balance, '8.00');
    assert.equal(row.last_seen, ago(45));
    // Tasks: 2 (T2's submit seen twice counts once). Task time: 1800 (T1, submit - start) + 300 (T2's duration_s).
    // Platform time: the union of [-120, -90], [-60, -50] and the heartbeats' minutes [-50, -49] ∪ [-49.5, -48.5]
    // = 1800 + 600 + 90 s. Earned: 6.00 (12/h × 0.5 h, estimated) + 2.00. Advertised: 12.00/h (the only hourly
    // rate). Effective: 8.00 / (2490 / 3600 h) = 11.566… rounded down to 11.56.
    assert.deepEqual(row.week, {
      tasks: 2, task_seconds: 2100, platform_seconds: 2490, earned: '8.00', earned_estimated: true,
      advertised_hourly: '12.00', effective_hourly: '11.56',
    });
    await host.close();
  });
});
