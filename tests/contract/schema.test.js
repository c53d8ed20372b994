// The JSON Schemas of schema/messages/ against the fixtures and against docs/protocol.md: no host needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SCHEMA_DIR, check, blamedFields, schemaSet, replySchemaFor } from './schemas.js';

const good = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/good_input/catalogue.json'), 'utf8')).entries;
const bad = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/bad_input/catalogue.json'), 'utf8')).entries;

const REQUEST_TYPES = ['task.start', 'task.submit', 'task.abandon', 'balance', 'balance.missing', 'payout',
  'account.status', 'heartbeat', 'ping', 'query.summary', 'query.balance_history', 'query.events', 'query.alerts',
  'alert.ack', 'config.get', 'config.set', 'export'];

/** The value request.schema.json would be given for a catalogue frame, or undefined when there is none. */
function parsedValue(frame) {
  if ('json' in frame) return { value: frame.json };
  if ('text' in frame) {
    try {
      return { value: JSON.parse(frame.text) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const explain = (errors) => errors.slice(0, 6).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

test('every schema file compiles in strict mode', () => {
  const set = schemaSet();
  for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
    assert.ok(set.getSchema(file), `${file} does not compile`);
  }
});

test('every request type has its schema, its reply schema and at least one good example', () => {
  const typesInCatalogue = new Set(good.map((e) => e.message.type));
  for (const type of REQUEST_TYPES) {
    assert.ok(fs.existsSync(path.join(SCHEMA_DIR, `${type}.schema.json`)), `no schema for ${type}`);
    assert.ok(fs.existsSync(path.join(SCHEMA_DIR, replySchemaFor(type))), `no reply schema for ${type}`);
    assert.ok(typesInCatalogue.has(type), `no good example of ${type}`);
  }
  const events = good.filter((e) => REQUEST_TYPES.slice(0, 8).includes(e.message.type));
  for (const type of REQUEST_TYPES.slice(0, 8)) {
    assert.ok(events.filter((e) => e.message.type === type).length >= 1, `no example of ${type}`);
  }
});

test('every object schema that lists properties refuses others (additionalProperties: false)', () => {
  // Exceptions: the three dispatchers (request, event, host_event), which delegate to a schema that lists every field, and the `if` clauses that
  // only look at one property.
  const problems = [];
  function walk(node, where, inIf) {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`, inIf));
    if (!node || typeof node !== 'object') return;
    if (node.properties && !inIf && !node.$ref && node.additionalProperties !== false) problems.push(where);
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && !inIf) {
        for (const [p, sub] of Object.entries(v)) walk(sub, `${where}/properties/${p}`, false);
      } else if (typeof v === 'object') {
        walk(v, `${where}/${k}`, inIf || k === 'if' || k === 'then' || (k === 'oneOf' && where.startsWith('reply.schema')));
      }
    }
  }
  for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) {
    if (['request.schema.json', 'event.schema.json', 'host_event.schema.json'].includes(file)) continue;
    walk(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')), file, false);
  }
  assert.deepEqual(problems, []);
});

test('good catalogue: every example is valid (request.schema.json and its own type\'s schema)', async (t) => {
  for (const entry of good) {
    await t.test(entry.name, () => {
      const r = check('request.schema.json', entry.message);
      assert.ok(r.valid, explain(r.errors));
      assert.ok(check(`${entry.message.type}.schema.json`, entry.message).valid);
      for (const m of entry.setup ?? []) assert.ok(check('request.schema.json', m).valid, `setup ${m.id}`);
    });
  }
});

test('bad catalogue: the schema verdict is the one the catalogue states', async (t) => {
  for (const entry of bad) {
    await t.test(entry.name, () => {
      const parsed = parsedValue(entry.frame);
      if (entry.schema === 'n/a') {
        // Framing, invalid UTF-8, not JSON (JSON.parse lets lone surrogates, 1e999 and any depth through, the
        // host does not), or duplicate keys: a schema only ever sees parsed values.
        const isDuplicate = /^duplicate key/.test(entry.name);
        assert.ok(parsed === undefined || isDuplicate || entry.code === 'bad_json',
          'an entry marked n/a that parses must be bad JSON for the host or a duplicate-key case');
        return;
      }
      assert.ok(parsed, 'an entry with a schema verdict must parse as JSON');
      const r = check('request.schema.json', parsed.value);
      if (entry.schema === 'accepts') {
        assert.ok(entry.schema_note, 'say why the schema cannot see it');
        assert.ok(r.valid, `documented as looser than the host, but the schema refuses: ${explain(r.errors)}`);
        return;
      }
      assert.equal(entry.schema, 'rejects');
      assert.equal(r.valid, false, 'the schema accepts a message the host must refuse');
      if (entry.field !== null) {
        const blamed = blamedFields(r.errors);
        assert.ok(blamed.has(entry.field),
          `the schema blames ${JSON.stringify([...blamed])}, the host must blame ${entry.field}`);
      }
    });
  }
});

test('bad catalogue: at least 60 frames, each well-formed', () => {
  assert.ok(bad.length >= 60, `${bad.length} entries`);
  const codes = new Set(['frame_too_large', 'bad_json', 'bad_message', 'unsupported_version', 'unknown_type']);
  for (const e of bad) {
    assert.ok(e.name && e.frame, JSON.stringify(e).slice(0, 200));
    assert.ok(e.code === null ? e.ends_stream : codes.has(e.code), e.name);
    assert.ok(e.field === null || typeof e.field === 'string', e.name);
    assert.ok(['rejects', 'accepts', 'n/a'].includes(e.schema), e.name);
    if (e.code === 'bad_json' || e.code === 'frame_too_large') assert.equal(e.field, null, e.name);
  }
});

test('the byte caps: the schema counts code points, so multi-byte strings over a cap pass it (the host refuses them)', () => {
  const base = { v: 1, type: 'task.start', id: 'caps-1', platform: 'p', account: 'a', at: '2026-01-15T10:00:00Z', task_id: 'T' };
  for (const [field, cap] of [['task_id', 128], ['project', 256], ['title', 1024], ['url', 2048]]) {
    assert.ok(check('request.schema.json', { ...base, [field]: 'é'.repeat(cap) }).valid, `${field}: ${cap} × é`);
    assert.equal(check('request.schema.json', { ...base, [field]: 'e'.repeat(cap + 1) }).valid, false, `${field}: ${cap + 1} ASCII`);
  }
  // The account cap is in code points on both sides: a schema and the host agree.
  assert.ok(check('request.schema.json', { ...base, account: '😀'.repeat(128) }).valid);
  assert.equal(check('request.schema.json', { ...base, account: '😀'.repeat(129) }).valid, false);
});

// ---- docs/protocol.md's own examples
function docExamples() {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/protocol.md'), 'utf8');
  const out = [];
  for (const block of doc.matchAll(/```json\n([\s\S]*?)```/g)) {
    const body = block[1].trim();
    try {
      out.push(JSON.parse(body));
    } catch {
      // One message a line; a line with "..." is a sketch, not an example.
      for (const line of body.split('\n')) if (!line.includes('...')) out.push(JSON.parse(line));
    }
  }
  return out;
}

test('docs/protocol.md: its JSON examples validate (requests against request, replies against reply)', () => {
  const examples = docExamples();
  assert.ok(examples.length >= 4, `only ${examples.length} examples found`);
  for (const m of examples) {
    const isReply = 're' in m;
    const file = isReply ? 'reply.schema.json' : 'request.schema.json';
    const r = check(file, m);
    assert.ok(r.valid, `${JSON.stringify(m).slice(0, 80)}… against ${file}: ${explain(r.errors)}`);
  }
});

test('docs/protocol.md: inline examples of replies and the alert push validate', () => {
  const alert = { id: 7, kind: 'balance_vanished', severity: 'critical', platform: 'dataannotation', account: 'ana@example.org',
    raised_at: '2026-07-14T09:30:00+02:00', message: 'The balance is gone', evidence: [1840, 1842], state: 'open',
    resolved_at: null, acknowledged_at: null };
  const cases = [
    ['alert.schema.json', { v: 1, type: 'alert', alert }],
    ['reply.schema.json', { v: 1, type: 'alert', alert }],
    ['reply.ping.schema.json', { v: 1, re: 'p', ok: true, version: '0.1.0', schema: 5 }],
    ['reply.query.balance_history.schema.json', { v: 1, re: 'h', ok: true, points: [{ day: '2026-07-13', balance: '1290.00', at: '2026-07-13T18:02:11+02:00' }] }],
    ['reply.query.alerts.schema.json', { v: 1, re: 'a', ok: true, alerts: [alert], next_after_id: null }],
    ['reply.alert.ack.schema.json', { v: 1, re: 'a', ok: true, alert: { ...alert, state: 'acknowledged', acknowledged_at: '2026-07-14T10:00:00.000Z' } }],
    ['reply.export.schema.json', { v: 1, re: 'x', ok: true, path: '/home/ana/Downloads/temoin-dataannotation-ana-2026-07-14T0930', files: ['dossier.html'] }],
    ['reply.config.schema.json', { v: 1, re: 'c', ok: true, config: { drop_tolerance: '0.01', payout_match_window_s: 3600, access_lost_hours: 24, dried_up_days: 3, dried_up_lookback_days: 30, no_contact_days: 7, unpaid_threshold: '100', unpaid_days: 14 } }],
    ['reply.error.schema.json', { v: 1, re: null, ok: false, error: { code: 'bad_json', message: 'not JSON' } }],
  ];
  for (const [file, m] of cases) {
    const r = check(file, m);
    assert.ok(r.valid, `${file}: ${explain(r.errors)}`);
  }
  const event = { v: 1, type: 'balance', id: 'e1', platform: 'dataannotation', account: 'ana@example.org', at: '2026-07-14T09:30:00+02:00', amount: '1.00', currency: 'USD' };
  const events = { v: 1, re: 'q', ok: true, next_after_seq: null, events: [{ seq: 1, id: 'e1', type: 'balance', platform: 'dataannotation', account: 'ana@example.org', at: event.at, received_at: '2026-07-14T07:30:00.123Z', event, prev_hash: '0'.repeat(64), hash: 'a'.repeat(64) }] };
  assert.ok(check('reply.query.events.schema.json', events).valid, explain(check('reply.query.events.schema.json', events).errors));
});

test('reply schemas refuse what the host must never write', () => {
  const refuse = [
    ['reply.error.schema.json', { v: 1, re: null, ok: false, error: { code: 'oops', message: 'x' } }, 'unknown code'],
    ['reply.error.schema.json', { v: 1, re: null, ok: false, error: { code: 'bad_json', message: 'x', field: null } }, 'field null'],
    ['reply.error.schema.json', { v: 1, ok: false, error: { code: 'bad_json', message: 'x' } }, 're missing'],
    ['reply.event.schema.json', { v: 1, re: 'e', ok: true, seq: 0, duplicate: false }, 'seq 0'],
    ['reply.event.schema.json', { v: 1, re: 'e', ok: true, seq: 1 }, 'duplicate missing'],
    ['reply.schema.json', { v: 1, re: 'e', ok: true, seq: 1, duplicate: false, extra: 1 }, 'an extra field'],
    ['reply.schema.json', { v: 1, type: 'alert' }, 'a push without its alert'],
  ];
  for (const [file, m, why] of refuse) assert.equal(check(file, m).valid, false, why);
});

// ---- the host's own tables (house rule: one table in the host; docs and schema are checked against it)
test('the currencies and their decimals are the host\'s table (host/protocol/money.cc)', () => {
  const source = fs.readFileSync(path.join(REPO_ROOT, 'host/protocol/money.cc'), 'utf8');
  const host = new Map([...source.matchAll(/\{"([A-Z]{3})", (\d)\}/g)].map((m) => [m[1], Number(m[2])]));
  assert.ok(host.size > 100, 'could not read the currency table from host/protocol/money.cc');
  const defs = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'defs.schema.json'), 'utf8')).$defs;
  const schema = new Map();
  for (const [name, decimals] of [['currencyWith0Decimals', 0], ['currencyWith2Decimals', 2], ['currencyWith3Decimals', 3]]) {
    for (const code of defs[name].enum) schema.set(code, decimals);
  }
  const onlyHost = [...host.keys()].filter((c) => !schema.has(c));
  const onlySchema = [...schema.keys()].filter((c) => !host.has(c));
  const differ = [...host.keys()].filter((c) => schema.has(c) && schema.get(c) !== host.get(c));
  assert.deepEqual({ onlyHost, onlySchema, differ }, { onlyHost: [], onlySchema: [], differ: [] });
});

test('the error codes are the host\'s (host/base/status.cc) and the table of docs/protocol.md', () => {
  const source = fs.readFileSync(path.join(REPO_ROOT, 'host/base/status.cc'), 'utf8');
  // Every wire name WireName() can return; "ok" is the name of success, never an error code.
  const host = new Set([...source.matchAll(/return "([a-z_]+)";/g)].map((m) => m[1]).filter((c) => c !== 'ok'));
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/protocol.md'), 'utf8');
  const table = doc.slice(doc.indexOf('| code | meaning |')).split('\n\n')[0];
  const inDoc = new Set([...table.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]));
  const schema = new Set(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'defs.schema.json'), 'utf8')).$defs.errorCode.enum);
  assert.deepEqual([...host].sort(), [...schema].sort(), 'host vs schema');
  assert.deepEqual([...inDoc].sort(), [...schema].sort(), 'docs/protocol.md vs schema');
});
