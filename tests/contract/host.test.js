// The real temoin-host against docs/protocol.md, the schemas and the fixtures. The binary comes from
// $TEMOIN_HOST_BIN (default <repo>/build/temoin-host); when it is missing these tests FAIL, they do not skip.
import { test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO_ROOT, MAX_REQUEST_BYTES, MAX_REPLY_BYTES, hostBinaryPath, requireHostBinary, startHost, frameBytes,
  encodeFrame, makeTempHome,
} from './host_client.js';
import { check, replySchemaFor } from './schemas.js';
import { gap } from './known_gaps.js';

// Every test and subtest can be marked a known gap in known_gaps.js.
const test = (name, fn) => nodeTest(name, gap(name), fn);
const sub = (t, name, fn) => t.test(name, gap(name), fn);

const good = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/good_input/catalogue.json'), 'utf8')).entries;
const bad = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/bad_input/catalogue.json'), 'utf8')).entries;
const AT = '2026-01-15T10:00:00Z';

const explain = (errors) => errors.slice(0, 6).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
const show = (m) => JSON.stringify(m).slice(0, 400);

/** Everything the host wrote is a frame of at most 1 MiB that validates against reply.schema.json. */
function assertWellFormedOutput(host) {
  assert.equal(host.decoder.pending, 0, 'the host wrote bytes that are not a whole frame');
  for (const frame of host.frames) {
    assert.ok(!frame.unparsable, 'the host wrote a frame that is not JSON');
    assert.ok(frame.__bytes <= MAX_REPLY_BYTES, `a frame of ${frame.__bytes} bytes (over 1 MiB)`);
    const r = check('reply.schema.json', frame);
    assert.ok(r.valid, `${show(frame)} does not validate against reply.schema.json: ${explain(r.errors)}`);
  }
  for (const push of host.pushes) {
    const r = check('alert.schema.json', push);
    assert.ok(r.valid, `push ${show(push)}: ${explain(r.errors)}`);
  }
}

function assertOk(reply, request) {
  assert.equal(reply.ok, true, `${request.type} ${request.id}: ${show(reply)}`);
  assert.equal(reply.re, request.id);
  const file = replySchemaFor(request.type);
  const r = check(file, reply);
  assert.ok(r.valid, `reply to ${request.type} does not validate against ${file}: ${explain(r.errors)}\n${show(reply)}`);
}

function assertError(reply, entry) {
  assert.equal(reply.ok, false, `expected ${entry.code}, got ${show(reply)}`);
  const r = check('reply.error.schema.json', reply);
  assert.ok(r.valid, `error reply does not validate: ${explain(r.errors)}\n${show(reply)}`);
  const got = { code: reply.error.code, field: reply.error.field ?? null, re: reply.re };
  assert.deepEqual(got, { code: entry.code, field: entry.field, re: entry.re }, `message: ${reply.error.message}`);
}

async function withHost(fn, options = {}) {
  const host = startHost(options);
  try {
    return await fn(host);
  } finally {
    await host.dispose({ keep: !!process.env.TEMOIN_KEEP_TEST_DATA });
  }
}

/** The events the extension sent (the host also logs its own: ids "host:…", schema/messages/host_event.schema.json). */
async function extensionEvents(host, filter = {}) {
  return (await queryAll(host, filter)).filter((row) => !row.id.startsWith('host:'));
}

async function queryAll(host, filter = {}) {
  const events = [];
  let after = 0;
  for (let page = 0; page < 1000; page++) {
    const request = { v: 1, type: 'query.events', id: `qa-${Date.now()}-${page}`, after_seq: after, ...filter };
    const reply = await host.request(request);
    assertOk(reply, request);
    events.push(...reply.events);
    if (reply.next_after_seq === null) return events;
    after = reply.next_after_seq;
  }
  throw new Error('query.events never ended');
}

test('the host binary is there', () => {
  requireHostBinary(hostBinaryPath());
});

test('ping: version and schema', async () => {
  await withHost(async (host) => {
    const reply = await host.request({ v: 1, type: 'ping', id: 'ping-1' });
    assertOk(reply, { type: 'ping', id: 'ping-1' });
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.equal(reply.version, pkg.version);
    assert.equal((await host.close()).code, 0);
    assertWellFormedOutput(host);
  });
});

test('good catalogue: every valid request gets ok: true, with a reply of its kind', async (t) => {
  await withHost(async (host) => {
    for (const entry of good) {
      await sub(t, entry.name, async () => {
        for (const setup of entry.setup ?? []) assertOk(await host.request(setup), setup);
        const message = structuredClone(entry.message);
        if (entry.alert_id_from_setup) {
          const q = { v: 1, type: 'query.alerts', id: `${message.id}-find`, state: 'all', account: entry.setup[0].account, platform: entry.setup[0].platform };
          const alerts = await host.request(q);
          assertOk(alerts, q);
          assert.ok(alerts.alerts.length > 0, `the setup (${entry.setup[0].type} ${entry.setup[0].state}) raised no alert`);
          message.alert_id = alerts.alerts[0].id;
        }
        assert.ok(check('request.schema.json', message).valid, 'the schema must accept it too');
        const reply = await host.request(message);
        assertOk(reply, message);
        if (message.type === 'alert.ack') assert.equal(reply.alert.state, 'acknowledged');
        if (message.type === 'export') {
          // Into a new folder of the user's Downloads folder (HOME is the test's temporary folder), never elsewhere.
          assert.equal(path.dirname(reply.path), path.join(host.home, 'Downloads'), reply.path);
          for (const f of reply.files) assert.ok(fs.existsSync(path.join(reply.path, f)), `${f} is not in ${reply.path}`);
        }
        if (replySchemaFor(message.type) === 'reply.event.schema.json') assert.equal(reply.duplicate, false);
      });
    }
    await sub(t, 'each accepted event is in the log, as sent', async () => {
      const events = await extensionEvents(host);
      const sent = new Map();
      for (const e of good) {
        for (const m of [...(e.setup ?? []), e.message]) {
          if (replySchemaFor(m.type) === 'reply.event.schema.json') sent.set(m.id, m);
        }
      }
      assert.equal(events.length, sent.size);
      for (const row of events) assert.deepEqual(row.event, sent.get(row.id), `event ${row.id}`);
      const seqs = events.map((e) => e.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'events in seq order');
    });
    assert.equal((await host.close()).code, 0);
    assertWellFormedOutput(host);
  });
});

test('bad catalogue: every hostile frame gets its error, the stream stays in step, nothing is stored', async (t) => {
  await withHost(async (host) => {
    // A few real events first, so that "unchanged" compares a non-empty log.
    const seeds = good.filter((e) => ['task.start', 'balance', 'heartbeat'].includes(e.message.type)).slice(0, 4)
      .map((e, i) => ({ ...e.message, id: `seed-${i}` }));
    let before = null;
    let summaryBefore = null;
    await sub(t, 'seed the log with a few events and read it back', async () => {
      for (const s of seeds) assertOk(await host.request(s), s);
      summaryBefore = await host.request({ v: 1, type: 'query.summary', id: 'sum-before' });
      assertOk(summaryBefore, { type: 'query.summary', id: 'sum-before' });
      before = await extensionEvents(host);
      assert.equal(before.length, seeds.length);
    });

    let n = 0;
    for (const entry of bad.filter((e) => !e.ends_stream)) {
      await sub(t, entry.name, async () => {
        const reply = await host.requestRaw(frameBytes(entry.frame), 60000);
        assertError(reply, entry);
        // Same verdict from the schema, except where the catalogue documents that the host is stricter.
        if (entry.schema === 'rejects') {
          const value = 'json' in entry.frame ? entry.frame.json : JSON.parse(entry.frame.text);
          assert.equal(check('request.schema.json', value).valid, false, 'the host refuses it, the schema should too');
        }
        // The next frame is read in step.
        const ping = { v: 1, type: 'ping', id: `sync-${++n}` };
        const pong = await host.request(ping);
        assertOk(pong, ping);
      });
    }

    await sub(t, 'the log is unchanged', async () => {
      const summaryAfter = await host.request({ v: 1, type: 'query.summary', id: 'sum-after' });
      assertOk(summaryAfter, { type: 'query.summary', id: 'sum-after' });
      assert.deepEqual(summaryAfter.accounts, summaryBefore?.accounts, 'query.summary changed');
      const after = await extensionEvents(host);
      assert.ok(before, 'the log could not be read before the catalogue');
      assert.deepEqual(after, before);
    });
    assert.equal((await host.close()).code, 0);
    assertWellFormedOutput(host);
  });
});

test('bad catalogue: frames that end the stream', async (t) => {
  for (const entry of bad.filter((e) => e.ends_stream)) {
    await sub(t, entry.name, async (t2) => {
      const { home, dataDir } = makeTempHome();
      const host = startHost({ home, dataDir });
      try {
        const seed = { v: 1, type: 'heartbeat', id: 'before-the-end', platform: 'prolific', account: 'P-5f3a', at: AT };
        assertOk(await host.request(seed), seed);
        await host.sendRaw(frameBytes(entry.frame));
        if (entry.code !== null) {
          assertError(await host.nextReply(), entry);
        } else {
          host.child.stdin.end(); // the stream ends inside the frame
        }
        const exit = await host.waitExit(5000);
        assert.deepEqual(exit, { code: entry.exit, signal: null });
        assert.equal(host.frames.length, entry.code === null ? 1 : 2, 'no other reply');
        assertWellFormedOutput(host);
        await sub(t2, 'what was acknowledged before stays; nothing else was stored', async () => {
          const again = startHost({ home, dataDir });
          try {
            const events = await extensionEvents(again);
            assert.deepEqual(events.map((e) => e.id), ['before-the-end']);
            await again.close();
          } finally {
            await again.dispose({ keep: true });
          }
        });
      } finally {
        await host.dispose();
      }
    });
  }
});

test('idempotency: the same id and body again is a duplicate with the first seq; a different body is bad_message on id', async (t) => {
  await withHost(async (host) => {
    const event = { v: 1, type: 'payout', id: 'dup-1', platform: 'dataannotation', account: 'ana@example.org', at: AT, amount: '50.00', currency: 'USD' };
    const first = await host.request(event);
    assertOk(first, event);
    assert.equal(first.duplicate, false);
    const second = await host.request(event);
    assertOk(second, event);
    assert.deepEqual([second.seq, second.duplicate], [first.seq, true]);
    const changed = await host.request({ ...event, amount: '500.00' });
    assertError(changed, { code: 'bad_message', field: 'id', re: 'dup-1' });
    await sub(t, 'the log holds the event once, with its first body', async () => {
      const events = await extensionEvents(host);
      assert.equal(events.length, 1);
      assert.equal(events[0].event.amount, '50.00');
    });
    await host.close();
    assertWellFormedOutput(host);
  });
});

test('replies come in request order, also when requests are sent without waiting', async () => {
  await withHost(async (host) => {
    const messages = [];
    for (let i = 0; i < 40; i++) {
      if (i % 4 === 3) messages.push({ frame: encodeFrame('{"broken'), re: null });
      else if (i % 4 === 2) messages.push({ frame: encodeFrame({ v: 1, type: 'ping', id: `order-${i}` }), re: `order-${i}` });
      else messages.push({ frame: encodeFrame({ v: 1, type: 'heartbeat', id: `order-${i}`, platform: 'prolific', account: 'P-5f3a', at: AT }), re: `order-${i}` });
    }
    await host.sendRaw(Buffer.concat(messages.map((m) => m.frame)));
    const replies = [];
    for (let i = 0; i < messages.length; i++) replies.push(await host.nextReply());
    assert.deepEqual(replies.map((r) => r.re), messages.map((m) => m.re));
    await host.close();
    assertWellFormedOutput(host);
  });
});

test('a frame of exactly 1 MiB is read; 1 MiB + 1 is frame_too_large', async () => {
  await withHost(async (host) => {
    const message = { v: 1, type: 'ping', id: 'big-1' };
    const text = JSON.stringify(message);
    const exact = Buffer.concat([Buffer.from(text), Buffer.alloc(MAX_REQUEST_BYTES - text.length, 0x20)]);
    assert.equal(exact.length, MAX_REQUEST_BYTES);
    assertOk(await host.requestRaw(encodeFrame(exact)), message);
    const over = Buffer.concat([exact, Buffer.from(' ')]);
    assertError(await host.requestRaw(encodeFrame(over)), { code: 'frame_too_large', field: null, re: null });
    assertOk(await host.request({ v: 1, type: 'ping', id: 'big-2' }), { type: 'ping', id: 'big-2' });
    await host.close();
    assertWellFormedOutput(host);
  });
});

test('frames split into single bytes are read whole', async () => {
  await withHost(async (host) => {
    const message = { v: 1, type: 'balance', id: 'split-1', platform: 'prolific', account: 'P-5f3a', at: AT, amount: '3.20', currency: 'GBP' };
    const bytes = encodeFrame(message);
    for (const b of bytes) {
      await host.sendRaw(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    assertOk(await host.nextReply(), message);
    await host.close();
  });
});

test('end of input: the host exits 0 well within 2 s, and what it acknowledged is stored', async (t) => {
  const { home, dataDir } = makeTempHome();
  const host = startHost({ home, dataDir });
  try {
    const frames = [];
    for (let i = 0; i < 50; i++) frames.push(encodeFrame({ v: 1, type: 'heartbeat', id: `eof-${i}`, platform: 'prolific', account: 'P-5f3a', at: AT }));
    await host.sendRaw(Buffer.concat(frames));
    const replies = [];
    for (let i = 0; i < 50; i++) replies.push(await host.nextReply());
    assert.ok(replies.every((r) => r.ok === true));
    const t0 = Date.now();
    const exit = await host.close(5000);
    const took = Date.now() - t0;
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(took < 1900, `exit took ${took} ms (Chrome kills the host at 2 s)`);
    await sub(t, 'a new host on the same folder finds the 50 events', async () => {
      const again = startHost({ home, dataDir });
      try {
        assert.equal((await extensionEvents(again)).length, 50);
        await again.close();
      } finally {
        await again.dispose({ keep: true });
      }
    });
  } finally {
    await host.dispose();
  }
});

test('the host writes nothing but frames on stdout, and keeps its log in the data folder', async () => {
  await withHost(async (host) => {
    await host.sendRaw(encodeFrame('not json'));
    await host.nextReply();
    await host.request({ v: 1, type: 'ping', id: 'log-1' });
    await host.close();
    assertWellFormedOutput(host);
    assert.ok(fs.existsSync(path.join(host.dataDir, 'temoin-host.log')), 'no temoin-host.log in the data folder');
  });
});

// ---- the caller (docs/protocol.md, "The caller")
function temoinChromeId() {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'extension/manifest.json'), 'utf8'));
  const digest = crypto.createHash('sha256').update(Buffer.from(manifest.key, 'base64')).digest('hex').slice(0, 32);
  return { chrome: [...digest].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join(''),
    gecko: manifest.browser_specific_settings.gecko.id };
}

test('the caller: Témoin\'s own extension ids are served, any other gets forbidden and nothing is stored', async (t) => {
  const ids = temoinChromeId();
  const event = (id) => ({ v: 1, type: 'heartbeat', id, platform: 'prolific', account: 'P-5f3a', at: AT });
  const cases = [
    ['Chrome, Témoin\'s id', [`chrome-extension://${ids.chrome}/`], true],
    ['Firefox, Témoin\'s id', ['/usr/lib/mozilla/native-messaging-hosts/temoin.json', ids.gecko], true],
    ['Chrome, another extension', ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/'], false],
    ['Firefox, another add-on', ['/usr/lib/mozilla/native-messaging-hosts/temoin.json', 'evil@example.org'], false],
  ];
  for (const [name, args, allowed] of cases) {
    await sub(t, name, async () => {
      const { home, dataDir } = makeTempHome();
      const host = startHost({ home, dataDir, args });
      try {
        const ping = { v: 1, type: 'ping', id: 'caller-ping' };
        const pong = await host.request(ping);
        const ack = await host.request(event('caller-event'));
        if (allowed) {
          assertOk(pong, ping);
          assertOk(ack, event('caller-event'));
        } else {
          for (const [reply, id] of [[pong, 'caller-ping'], [ack, 'caller-event']]) {
            assert.equal(reply.ok, false, show(reply));
            assert.ok(check('reply.error.schema.json', reply).valid, show(reply));
            assert.equal(reply.error.code, 'forbidden', show(reply));
            assert.equal(reply.re, id, 'the id can be read: re names the request');
          }
        }
        assert.equal((await host.close()).code, 0);
        assertWellFormedOutput(host);
        const local = startHost({ home, dataDir });
        try {
          const summary = await local.request({ v: 1, type: 'query.summary', id: 'caller-summary' });
          assertOk(summary, { type: 'query.summary', id: 'caller-summary' });
          assert.equal(summary.accounts.length, allowed ? 1 : 0);
          await local.close();
        } finally {
          await local.dispose({ keep: true });
        }
      } finally {
        await host.dispose();
      }
    });
  }
});

test('at: up to 24 h ahead of the host clock is taken, more is bad_message on at', async () => {
  await withHost(async (host) => {
    const iso = (ms) => new Date(ms).toISOString();
    const ev = (id, at) => ({ v: 1, type: 'heartbeat', id, platform: 'prolific', account: 'P-5f3a', at });
    const near = ev('ahead-23h', iso(Date.now() + 23 * 3600e3));
    assertOk(await host.request(near), near);
    const zoned = ev('ahead-23h-zoned', new Date(Date.now() + 23 * 3600e3 + 14 * 3600e3).toISOString().replace('Z', '+14:00'));
    assertOk(await host.request(zoned), zoned);
    const far = ev('ahead-25h', iso(Date.now() + 25 * 3600e3));
    assertError(await host.request(far), { code: 'bad_message', field: 'at', re: 'ahead-25h' });
    assert.ok(check('request.schema.json', far).valid, 'the schema cannot know the clock');
    await host.close();
  });
});

test('a made-up field with a 100 KiB name: bad_message naming its first 64 bytes, a small reply', async () => {
  await withHost(async (host) => {
    const name = 'é'.repeat(50000);  // two bytes a character: the cut must fall between characters
    const request = { v: 1, type: 'query.alerts', id: 'long-key', state: 'open', [name]: 0 };
    const reply = await host.request(request);
    const r = check('reply.error.schema.json', reply);
    assert.ok(r.valid, `error reply does not validate: ${explain(r.errors)}\n${show(reply)}`);
    assert.equal(reply.error.code, 'bad_message');
    assert.ok(Buffer.byteLength(reply.error.field) <= 64, reply.error.field);
    assert.match(reply.error.field, /^é+…$/u);
    assert.ok(Buffer.byteLength(JSON.stringify(reply)) < 512);
    await host.close();
  });
});

test('query.summary: an account with no money seen yet has one row with currency null', async () => {
  await withHost(async (host) => {
    const hb = { v: 1, type: 'heartbeat', id: 'nomoney-1', platform: 'outlier', account: 'o-1', at: AT };
    assertOk(await host.request(hb), hb);
    const q = { v: 1, type: 'query.summary', id: 'nomoney-sum', platform: 'outlier', account: 'o-1' };
    const reply = await host.request(q);
    assertOk(reply, q);
    assert.equal(reply.accounts.length, 1);
    assert.equal(reply.accounts[0].currency, null);
    assert.equal(reply.accounts[0].state, 'active');
    await host.close();
  });
});

test('query.events: a page is cut short before the reply comes near 1 MiB, and paging returns every event', async () => {
  await withHost(async (host) => {
    // 400 events of about 3.3 KB each: 1.3 MB of log, more than one reply can carry.
    const frames = [];
    for (let i = 0; i < 400; i++) {
      frames.push(encodeFrame({ v: 1, type: 'task.start', id: `big-${i}`, platform: 'dataannotation', account: 'ana@example.org',
        at: AT, task_id: `T-${i}`, title: 't'.repeat(1024), url: 'https://example.org/' + 'u'.repeat(2000) }));
    }
    await host.sendRaw(Buffer.concat(frames));
    for (let i = 0; i < 400; i++) assert.equal((await host.nextReply(30000)).ok, true);
    const first = { v: 1, type: 'query.events', id: 'page-1', limit: 1000 };
    const reply = await host.request(first);
    assertOk(reply, first);
    assert.ok(reply.__bytes <= MAX_REPLY_BYTES);
    assert.ok(reply.events.length < 400, 'one reply cannot hold them all');
    assert.equal(reply.next_after_seq, reply.events.at(-1).seq);
    const all = await extensionEvents(host, { limit: 1000 });
    assert.deepEqual(all.map((e) => e.id), frames.map((_, i) => `big-${i}`));
    await host.close();
    assertWellFormedOutput(host);
  });
});
