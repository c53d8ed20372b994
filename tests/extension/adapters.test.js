// Each adapter against its fixture pages (tests/fixtures/platforms/<platform>/fixtures.json lists the page,
// the URL it stands for and what must be read). Every planned event is checked against the contract schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { PROFILES, profileForHost } from '../../extension/adapters/profiles/index.js';
import { readPage, classifyClick } from '../../extension/adapters/runtime.js';
import { planReading, planClick, emptyMemory } from '../../extension/adapters/plan.js';
import { makeEvent, PLACEHOLDER_ACCOUNT } from '../../extension/lib/events.js';
import { utf8Length } from '../../extension/lib/text.js';
import { ROOT, validateRequest } from './helpers.js';

const FIX = join(ROOT, 'tests', 'fixtures', 'platforms');
const AT = new Date('2026-07-14T09:30:00Z');

function load(platform, file, url) {
  const html = readFileSync(join(FIX, platform, file), 'utf8');
  return new JSDOM(html, { url }).window.document; // scripts are not run
}

function toEvents(planned) {
  return planned.map(([type, fields]) => makeEvent(type, fields, { at: AT }));
}

for (const profile of PROFILES) {
  const list = JSON.parse(readFileSync(join(FIX, profile.platform, 'fixtures.json'), 'utf8'));
  test(`${profile.name}: fixture set covers the required pages`, () => {
    const names = list.map((f) => f.file.replace('.html', ''));
    for (const need of ['dashboard', 'empty', 'task', 'submit', 'payout', 'login', 'locked']) {
      assert.ok(names.includes(need), `${profile.platform} lacks ${need}`);
    }
  });
  for (const fx of list) {
    test(`${profile.name}: ${fx.file}`, () => {
      assert.equal(profileForHost(new URL(fx.url).hostname), profile);
      const doc = load(profile.platform, fx.file, fx.url);
      const r = readPage(profile, doc, fx.url);
      const e = fx.expect;
      if ('page' in e) assert.equal(r.page, e.page);
      assert.equal(r.recognised, e.recognised, r.detail);
      if ('account' in e) assert.equal(r.account, e.account);
      if ('state' in e) assert.equal(r.state, e.state);
      else assert.equal(r.state, undefined, `unexpected state ${r.state}: ${r.detail}`);
      if ('balances' in e) assert.deepEqual(r.balances, e.balances);
      if ('tasksAvailable' in e) assert.equal(r.tasksAvailable, e.tasksAvailable);
      if ('noTasks' in e) assert.equal(r.noTasks, e.noTasks);
      if ('task_id' in e) assert.equal(r.task && r.task.task_id, e.task_id);
      if ('project' in e) assert.equal(r.task.project, e.project);
      if ('rate' in e) assert.deepEqual(r.task.rate, e.rate);
      if ('projects' in e) {
        for (const [name, amount] of Object.entries(e.projects)) {
          assert.equal(r.projects.find((p) => p.name === name).rate.amount, amount);
        }
      }
      // Whatever the page held, the events fit the contract.
      const { events, memory } = planReading(r, emptyMemory(), AT.getTime());
      for (const ev of toEvents(events)) assert.equal(validateRequest(ev), null, JSON.stringify(ev).slice(0, 300));
      if (!r.recognised) assert.ok(events.some(([t, f]) => t === 'account.status' && f.state === 'unreachable'));
      if (r.task) {
        const start = toEvents(events).find((x) => x.type === 'task.start');
        assert.ok(start, 'a task page starts the task');
        assert.ok(utf8Length(start.title || '') <= 1024);
        assert.ok(!/<script/i.test(start.project || '') || start.project.includes('script'), 'text, not markup');
      }
      if (fx.click) {
        const target = doc.querySelector(fx.click.selector);
        const click = classifyClick(profile, target);
        assert.ok(click, `${fx.click.selector} is a ${fx.click.event.type} control`);
        if (click.action === 'payout') {
          click.money = null;
          click.method = profile.payout.method;
        }
        let out = planClick(click, r, memory, AT.getTime() + 90000);
        if (click.action === 'payout') {
          assert.equal(out.events.length, 0, 'a withdraw click alone is not a payout');
          // The next reading shows the balance gone down: now it is a payout.
          const after = { ...r, balances: r.balances.map((b) => ({ amount: '0.00', currency: b.currency })) };
          out = planReading(after, out.memory, AT.getTime() + 120000);
          out.events = out.events.filter(([t]) => t === 'payout');
        }
        const evs = toEvents(out.events);
        assert.equal(evs.length, 1);
        for (const [k, v] of Object.entries(fx.click.event)) assert.equal(evs[0][k], v, k);
        assert.equal(validateRequest(evs[0]), null);
        if (evs[0].type === 'task.submit') {
          assert.equal(evs[0].duration_s, 90);
          assert.equal(planClick(click, r, out.memory, AT.getTime() + 95000).events.length, 0, 'a double click submits once');
        }
      }
      if (fx.abandon) {
        const click = classifyClick(profile, doc.querySelector(fx.abandon.selector));
        assert.equal(click && click.action, 'abandon');
        const out = planClick(click, r, memory, AT.getTime() + 1000);
        const evs = toEvents(out.events);
        assert.deepEqual(evs.map((x) => [x.type, x.task_id]), [[fx.abandon.event.type, fx.abandon.event.task_id]]);
        assert.equal(validateRequest(evs[0]), null);
        assert.equal(planReading(r, out.memory, AT.getTime() + 2000).events.filter(([t]) => t === 'task.start').length, 0,
          'a returned task is not started again by a reload');
      }
      if (fx.noclick) assert.equal(classifyClick(profile, doc.querySelector(fx.noclick)), null, `${fx.noclick} is not a submit`);
    });
  }
}

test('hostile titles stay text: script tags are kept as characters, huge strings are capped', () => {
  const p = PROFILES[0];
  const url = 'https://app.dataannotation.tech/workers/tasks/3f0c9b1e-9d7a-4c1e-8a51-0c2e4b7d9f10';
  const r = readPage(p, load('dataannotation', 'task.html', url), url);
  assert.equal(r.state, undefined, 'a task author writing "Your account has been locked" does not lock the account');
  const { events } = planReading(r, emptyMemory(), 0);
  const start = toEvents(events).find((x) => x.type === 'task.start');
  assert.ok(start.title.startsWith("<script>alert('t')</script> ΩΩ"));
  assert.ok(start.title.endsWith('…[truncated]'));
  assert.equal(utf8Length(start.title) <= 1024, true);
  assert.equal(start.rate, undefined, 'no rate without the dashboard');
});

test('DataAnnotation: dashboard rates carry over to the task page', () => {
  const p = PROFILES[0];
  const dashUrl = 'https://app.dataannotation.tech/workers/projects';
  const dash = readPage(p, load('dataannotation', 'dashboard.html', dashUrl), dashUrl);
  const m1 = planReading(dash, emptyMemory(), 0).memory;
  const url = 'https://app.dataannotation.tech/workers/tasks/3f0c9b1e-9d7a-4c1e-8a51-0c2e4b7d9f10';
  const r = readPage(p, load('dataannotation', 'task.html', url), url);
  const start = planReading(r, m1, 1000).events.find(([t]) => t === 'task.start');
  assert.deepEqual(start[1].rate, { amount: '40.00', currency: 'USD', per: 'hour' });
  const title = dash.projects.find((x) => x.name.startsWith('<script>'));
  assert.equal(title.rate.amount, '20.00');
  assert.equal(dash.projects.some((x) => x.name.startsWith('Qaaa')), false, 'a fractional cents rate is not read');
});

test('a balance that disappears from the payments page is reported as balance.missing, once', () => {
  const p = PROFILES[0];
  const url = 'https://app.dataannotation.tech/workers/payments';
  const full = readPage(p, load('dataannotation', 'payments.html', url), url);
  let { events, memory } = planReading(full, emptyMemory(), 0);
  assert.deepEqual(events.map(([t]) => t), ['account.status', 'balance']);
  assert.deepEqual(events[1][1], { platform: 'dataannotation', account: 'ana@example.org', amount: '1312.50', currency: 'USD', pending: '48.00' });
  const empty = readPage(p, load('dataannotation', 'payments-empty.html', url), url);
  ({ events, memory } = planReading(empty, memory, 1000));
  assert.deepEqual(events.map(([t, f]) => [t, f.currency, f.account]), [['balance.missing', 'USD', 'ana@example.org']]);
  assert.equal(planReading(empty, memory, 2000).events.length, 0, 'said once');
  const back = planReading(full, memory, 3000);
  assert.deepEqual(back.events.map(([t]) => t), [], 'same balance within the hour is not repeated');
  assert.equal(planReading(full, back.memory, 3000 + 3600000).events.length, 1, 'repeated after an hour');
});

test('a redesigned page is unreachable, never a wrong reading', () => {
  const p = PROFILES[0];
  const url = 'https://app.dataannotation.tech/workers/payments';
  const r = readPage(p, load('dataannotation', 'redesign.html', url), url);
  const { events } = planReading(r, { ...emptyMemory(), lastAccount: 'ana@example.org' }, 0);
  assert.equal(events.length, 1);
  assert.equal(events[0][0], 'account.status');
  assert.equal(events[0][1].state, 'unreachable');
  assert.match(events[0][1].detail, /payments page/);
  assert.equal(events.some(([t]) => t === 'balance'), false);
});

test('pages without identity go to the last account seen, or a placeholder', () => {
  const p = PROFILES[0];
  const url = 'https://app.dataannotation.tech/users/sign_in';
  const r = readPage(p, load('dataannotation', 'login.html', url), url);
  const fresh = planReading(r, emptyMemory(), 0).events;
  assert.deepEqual(fresh.map(([t, f]) => [t, f.account, f.state]), [['account.status', PLACEHOLDER_ACCOUNT, 'logged_out']]);
  const known = planReading(r, { ...emptyMemory(), lastAccount: 'ana@example.org' }, 0).events;
  assert.equal(known[0][1].account, 'ana@example.org');
});

test('MTurk is opt-in', () => {
  assert.equal(PROFILES.find((x) => x.platform === 'mturk').optIn, true);
  assert.equal(PROFILES.filter((x) => x.optIn).length, 1);
});

test('the manifest matches exactly the profiles\' hosts', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'extension', 'manifest.json'), 'utf8'));
  const hosts = PROFILES.flatMap((x) => x.hosts).map((h) => `https://${h}/*`).sort();
  assert.deepEqual([...manifest.host_permissions].sort(), hosts);
  assert.deepEqual([...manifest.content_scripts[0].matches].sort(), hosts);
  assert.deepEqual([...manifest.permissions].sort(), ['alarms', 'nativeMessaging', 'notifications', 'storage', 'unlimitedStorage']);
  assert.equal(manifest.browser_specific_settings.gecko.id, 'temoin@temoin.org');
  assert.ok(manifest.background.service_worker && manifest.background.scripts);
});

test('an email in a project name (breadcrumb) is not taken for the signed-in account', () => {
  const p = PROFILES[0];
  const url = 'https://app.dataannotation.tech/workers/tasks/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  const doc = new JSDOM(`<nav aria-label="breadcrumb"><ol class="breadcrumb"><li class="breadcrumb-item active">Write to evil@attacker.example</li></ol></nav><h1>t</h1>`, { url }).window.document;
  const r = readPage(p, doc, url);
  assert.equal(r.account, undefined);
  assert.equal(r.task.project, 'Write to evil@attacker.example');
  const start = planReading(r, { ...emptyMemory(), lastAccount: 'ana@example.org' }, 0).events.find(([t]) => t === 'task.start');
  assert.equal(start[1].account, 'ana@example.org');
});

test('a withdrawal that did not happen is no payout', () => {
  const p = PROFILES[0];
  const url = 'https://app.dataannotation.tech/workers/payments';
  const doc = load('dataannotation', 'payments.html', url);
  const r = readPage(p, doc, url);
  let { memory } = planReading(r, emptyMemory(), 0);
  const click = classifyClick(p, doc.querySelector('button'));
  click.method = 'paypal';
  ({ memory } = planClick(click, r, memory, 1000));
  assert.equal(planReading(r, memory, 2000).events.filter(([t]) => t === 'payout').length, 0, 'same balance: no payout');
  const later = { ...r, balances: [{ amount: '0.00', currency: 'USD' }] };
  assert.equal(planReading(later, memory, 1000 + 25 * 3600000).events.filter(([t]) => t === 'payout').length, 0,
    'a drop a day later is not this request');
  const soon = planReading(later, memory, 5000).events;
  assert.deepEqual(soon.filter(([t]) => t === 'payout').map(([, f]) => [f.amount, f.currency, f.method]), [['1312.50', 'USD', 'paypal']]);
  assert.deepEqual(soon.map(([t]) => t), ['payout', 'balance']);
});
