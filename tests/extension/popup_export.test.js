// The popup's "Export dossier" control: one per account, sending the `export` message with the account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { renderPopup } from '../../extension/popup/view.js';
import { makeT } from '../../extension/lib/i18n.js';
import { readFileSync } from 'node:fs';

const messages = JSON.parse(readFileSync(new URL('../../extension/_locales/en/messages.json', import.meta.url)));
const t = makeT(messages);

test('each account card offers an Export dossier button naming its account', () => {
  const dom = new JSDOM('<main id="dash"></main>');
  const root = dom.window.document.getElementById('dash');
  const row = (account) => ({ platform: 'dataannotation', account, currency: 'USD', balance: '1312.50',
    balance_at: '2026-07-14T09:30:00Z', unpaid_since: null, pending: null, today: { tasks: 0, platform_seconds: 0 },
    week: { tasks: 0 }, state: 'active', last_seen: '2026-07-14T09:30:00Z', open_alerts: 0 });
  renderPopup(root, { status: null, summary: { accounts: [row('ana@example.org'), row('<b>x</b>')] }, alerts: [],
    histories: new Map() }, t);
  const buttons = [...root.querySelectorAll('button.export')];
  assert.equal(buttons.length, 2);
  assert.equal(buttons[0].textContent, 'Export dossier');
  assert.equal(buttons[0].getAttribute('data-account'), 'ana@example.org');
  assert.equal(buttons[1].getAttribute('data-account'), '<b>x</b>');
  assert.equal(root.querySelector('b'), null, 'account text is never parsed as HTML');
  assert.equal(t('exportDone', '/home/ana/Downloads/temoin-x'), 'Dossier written to /home/ana/Downloads/temoin-x');
});

test("today's tasks show page titles as text, cut for display, never as HTML", async () => {
  const { buildTodayTasks } = await import('../../extension/popup/view.js');
  const dom = new JSDOM('<main></main>');
  const doc = dom.window.document;
  const hostile = `<script>alert('t')</script>${'x'.repeat(900)}…[truncated]`;
  const box = buildTodayTasks(doc, [{ platform: 'dataannotation', account: 'a', task_id: 't1', title: hostile }], t);
  const item = box.querySelector('li.task');
  assert.ok(item.textContent.startsWith("<script>alert('t')</script>"));
  assert.ok(item.textContent.length <= 161);
  assert.equal(box.querySelector('script'), null);
  assert.equal(buildTodayTasks(doc, [], t).querySelector('p').textContent, 'No task recorded today.');
});
