// Issue 8, in Debian's Chromium driven by playwright-core: the six scenarios. Each test has its own profile,
// TEMOIN_DATA_DIR and HOME; the host is installed with the real `temoin install --profile`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { e2eTest } from './lib/scenario.js';
import { Driver } from './lib/driver.js';
import { sleep, waitFor } from './lib/temoin.js';
import { amountPattern, waitForEventVia } from './lib/checks.js';
import { DA, TASK1, TASK2, hostMissing, lockout, replaceIn, workersDay } from './lib/scenarios.js';

async function chromiumDriver(s, opts) {
  const b = await s.chromium(opts);
  return new Driver(b, s);
}

e2eTest('chromium: a worker\'s day', async (s) => {
  const d = await chromiumDriver(s);
  await workersDay(s, d);
});

e2eTest('chromium: the lockout', async (s) => {
  const d = await chromiumDriver(s);
  await lockout(s, d);
});

e2eTest('chromium: host missing, then installed', { timeout: 120000 }, async (s) => {
  const d = await chromiumDriver(s, { install: false });
  await hostMissing(s, d, () => s.temoin.installChromiumProfile(s.profile));
});

e2eTest('chromium: host killed mid-stream', { timeout: 58000 }, async (s) => {
  const d = await chromiumDriver(s);
  // Eight tasks of the same fixture page under eight task ids.
  const ids = Array.from({ length: 8 }, (_, i) => `e2e0000${i}-0000-4000-8000-00000000000${i}`);
  const urls = ids.map((id) => s.serve('dataannotation/task.html', { at: `https://app.dataannotation.tech/workers/tasks/${id}` }));
  const payments = s.serve('dataannotation/payments.html');
  const page = await d.visit(payments);
  await waitForEventVia(s, d, (e) => e.type === 'balance', 'the first balance (the host is up)', 20000);
  const [first] = await waitFor(() => { const p = s.temoin.hostPids(); return p.length === 1 ? p : null; },
    { message: 'one temoin-host process for this test' });

  // A worker's pace: a moment on each task page, then submit. The SIGKILL comes right after the third submit,
  // while its event is on its way to the host, and the visits go on while the host is down.
  const submitted = ids.filter((_, i) => i % 2 === 0 || i === 3);
  for (let i = 0; i < ids.length; i++) {
    await d.visit(urls[i], page);
    await sleep(700);
    if (submitted.includes(ids[i])) await d.click(page, '#submit');
    if (i === 3) {
      process.kill(first, 'SIGKILL');
      s.note(`SIGKILL to temoin-host ${first} right after the submit of task ${i}`);
    }
    await sleep(300);
  }

  const second = await waitFor(() => { const p = s.temoin.hostPids().filter((x) => x !== first); return p.length ? p[0] : null; },
    { timeoutMs: 40000, message: 'the extension to start the host again after the SIGKILL' });
  s.note(`new temoin-host ${second}`);
  await waitFor(() => {
    const evs = s.temoin.events();
    return ids.every((id) => evs.some((e) => e.type === 'task.start' && e.body.task_id === id));
  }, { timeoutMs: 30000, message: 'a task.start for each of the eight tasks' });

  const evs = s.temoin.events();
  for (const id of ids) {
    assert.equal(evs.filter((e) => e.type === 'task.start' && e.body.task_id === id).length, 1, `task ${id} started once`);
    assert.ok(evs.filter((e) => e.type === 'task.submit' && e.body.task_id === id).length <= 1, `task ${id} submitted at most once`);
  }
  const q = await waitFor(async () => { const x = await d.queue(); return x.queue.length === 0 ? x : null; },
    { timeoutMs: 15000, message: 'the extension\'s queue to empty' });
  assert.deepEqual(q.rejected, [], 'nothing rejected');
  await waitFor(() => submitted.every((id) => s.temoin.events().some((e) => e.type === 'task.submit' && e.body.task_id === id)),
    { timeoutMs: 5000, message: `the ${submitted.length} submits` }).catch((e) => {
    const have = new Set(s.temoin.events().filter((x) => x.type === 'task.submit').map((x) => x.body.task_id));
    const missing = submitted.filter((id) => !have.has(id));
    e.message += `; missing task.submit for ${JSON.stringify(missing)}. The extension's queue is empty and nothing ` +
      'was rejected, so these submits never reached the queue: they were lost in the page (the submit button ' +
      'navigates the page at once), not by the host or the kill';
    throw e;
  });
  assert.ok(!s.temoin.hostPids().includes(first), 'the killed host is gone');
  const v = s.temoin.run(['verify']);
  assert.equal(v.code, 0, `temoin verify after the SIGKILL: ${v.stdout}${v.stderr}`);
  const popup = await d.openPopup();
  await d.waitForText(popup, amountPattern('1312.50'), { message: 'the popup after the reconnection' });
  await s.popupScreenshot(popup, 'host-killed', d.kind);
});

e2eTest('chromium: the popup draws the last known figures first, and keeps them when the host is gone', { timeout: 90000 }, async (s) => {
  const d = await chromiumDriver(s);
  // Every data-source the popup's #dash takes, in order (extension/popup/snapshot.js).
  await d.b.context.addInitScript(() => {
    if (location.protocol !== 'chrome-extension:') return;
    window.__sources = [];
    new MutationObserver(() => {
      const v = document.getElementById('dash') && document.getElementById('dash').getAttribute('data-source');
      if (v && window.__sources[window.__sources.length - 1] !== v) window.__sources.push(v);
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-source'] });
  });
  const page = await d.visit(s.serve('dataannotation/payments.html'));
  await waitForEventVia(s, d, (e) => e.type === 'balance', 'the balance', 20000);
  let popup = await d.openPopup();
  await d.waitForText(popup, amountPattern('1312.50'), { message: 'the live popup' });
  assert.deepEqual(await popup.evaluate(() => window.__sources), ['live'], 'no snapshot on the very first open');
  await waitFor(() => popup.evaluate(() => Boolean(localStorage.getItem('popupSnapshot'))),
    { message: 'the live figures saved as the snapshot' });
  await popup.close();

  // The worker stopped (its port closes, the host exits): the next open starts both again.
  const cdp = await d.b.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await waitFor(() => s.temoin.hostPids().length === 0, { message: 'the host to exit with the worker' });
  popup = await d.openPopup();
  await d.waitForText(popup, amountPattern('1312.50'), { message: 'the live popup after the worker started again' });
  const sources = await popup.evaluate(() => window.__sources);
  assert.equal(sources[sources.length - 1], 'live', `the live figures replace the snapshot: ${sources}`);
  assert.ok(sources.indexOf('snapshot') <= 0, `a snapshot is only ever drawn before the live figures: ${sources}`);
  s.note(`worker-cold open: ${sources.join(' → ')}`);
  assert.equal(await popup.evaluate(() => document.querySelector('[data-stale]')), null, 'no "last known" banner over live figures');
  await popup.close();

  // The host gone (its manifest removed, the process killed): the popup keeps the last figures, says so, and
  // says why the host is not answering.
  fs.rmSync(path.join(s.profile, 'NativeMessagingHosts', 'org.temoin.host.json'));
  for (const pid of s.temoin.hostPids()) process.kill(pid, 'SIGKILL');
  await waitFor(() => s.temoin.hostPids().length === 0, { message: 'the host to be gone' });
  popup = await d.openPopup();
  const text = await d.waitForText(popup, /The host is not answering: these are the last known figures, from /,
    { message: 'the popup to show the last known figures, marked' });
  assert.match(text, amountPattern('1312.50'));
  const state = await popup.evaluate(() => ({ source: document.getElementById('dash').getAttribute('data-source'),
    ack: [...document.querySelectorAll('button.export')].every((b) => b.disabled) }));
  assert.deepEqual(state, { source: 'snapshot', ack: true }, 'marked as a snapshot, its actions disabled');
  await s.popupScreenshot(popup, 'host-gone-snapshot', d.kind);
});

e2eTest('chromium: hostile page', async (s) => {
  const d = await chromiumDriver(s);
  const MB = 1 << 20;
  const url = s.serve('dataannotation/task.html', {
    transform: (html) => html.replace(/x{200,}/, 'x'.repeat(MB)),
  });
  const page = await d.visit(url);
  const html = await page.evaluate(() => document.documentElement.outerHTML.length);
  assert.ok(html > MB, 'the page carries the 1 MB string');
  const start = await waitForEventVia(s, d, (e) => e.type === 'task.start' && e.body.task_id === TASK1, 'the hostile task\'s task.start', 20000);
  const title = start.body.title;
  assert.ok(typeof title === 'string', 'the title was read');
  assert.ok(title.startsWith("<script>alert('t')</script>"), `the title keeps the text as text: ${title.slice(0, 60)}`);
  assert.ok(title.endsWith('…[truncated]'), 'the title ends with the truncation marker');
  assert.ok(Buffer.byteLength(title, 'utf8') <= 1024, `the title fits the contract's cap (${Buffer.byteLength(title)} bytes)`);
  const stored = s.temoin.sql(`SELECT title FROM tasks WHERE task_id = '${TASK1}'`);
  assert.equal(stored[0] && stored[0].title, title, 'the host stored the title as sent');
  // The host refused nothing: the same event body is in the log.
  const q = await waitFor(async () => { const x = await d.queue(); return x.queue.length === 0 ? x : null; },
    { timeoutMs: 10000, message: 'the queue to empty' });
  assert.deepEqual(q.rejected, [], 'the host rejected nothing');

  await sleep(1000);
  assert.ok(!s.temoin.events().some((e) => e.type === 'account.status' && e.body.state !== 'active'),
    'the task author\'s "Your account has been locked" text did not change the account\'s state');

  const popup = await d.openPopup();
  const text = await d.waitForText(popup, /<script>alert\('t'\)<\/script>/, { message: 'the popup to show the title, escaped, as text' });
  assert.ok(!text.includes('x'.repeat(2000)), 'the popup does not show the 1 MB string');
  const scripts = await popup.evaluate(() => [...document.querySelectorAll('script')].map((el) => el.src || el.textContent));
  assert.ok(!scripts.some((x) => /alert\('t'\)/.test(x)), `no script element from the title in the popup: ${JSON.stringify(scripts)}`);
  const ran = await popup.evaluate(() => [...document.querySelectorAll('*')].some((el) =>
    [...el.attributes].some((a) => /^on/i.test(a.name))));
  assert.equal(ran, false, 'no inline event handler in the popup');
  assert.deepEqual(d.dialogs, [], 'no dialog opened: nothing ran');
  await s.popupScreenshot(popup, 'hostile-page', d.kind);
});

e2eTest('chromium: the dossier exported from the popup', async (s) => {
  const d = await chromiumDriver(s);
  const payments = s.serve('dataannotation/payments.html');
  const task1 = s.serve('dataannotation/task.html');
  const task2 = s.serve('dataannotation/submit.html');
  const page = await d.visit(payments);
  await waitForEventVia(s, d, (e) => e.type === 'balance' && e.body.amount === '1312.50', 'the balance', 20000);
  await d.visit(task1, page);
  await waitForEventVia(s, d, (e) => e.type === 'task.start' && e.body.task_id === TASK1, 'task 1 started');
  await sleep(1100);
  await d.click(page, '#submit');
  await d.visit(task2, page);
  await waitForEventVia(s, d, (e) => e.type === 'task.start' && e.body.task_id === TASK2, 'task 2 started');
  await sleep(1100);
  await d.click(page, '#submit');
  await waitForEventVia(s, d, (e) => e.type === 'task.submit' && e.body.task_id === TASK2, 'task 2 submitted');
  await waitForEventVia(s, d, (e) => e.type === 'task.submit' && e.body.task_id === TASK1, 'task 1 submitted');

  const popup = await d.openPopup();
  await d.waitForText(popup, amountPattern('1312.50'), { message: 'the popup to show the balance' });
  const buttons = await popup.$$('button, a[role="button"], a');
  let clicked = false;
  for (const btn of buttons) {
    const label = await btn.evaluate((el) => `${el.textContent} ${el.getAttribute('aria-label') || ''}`);
    if (/export|dossier/i.test(label)) { await btn.click(); clicked = true; break; }
  }
  let popupProblem = null;
  let reply = null;
  if (!clicked) {
    // The scenario fails on this; the rest is still checked, by sending from the popup page the message its
    // button would send through the background, so that the report says whether the host side works.
    popupProblem = new Error('the popup has no "Export dossier" control (button or link named export/dossier)');
    reply = await popup.evaluate(() => chrome.runtime.sendMessage({ kind: 'host',
      body: { type: 'export', platform: 'dataannotation', account: 'ana@example.org' } }));
    s.note(`export through the background (no popup control): ${JSON.stringify(reply)}`);
    assert.ok(reply && reply.ok, `the host's answer to export, through the background: ${JSON.stringify(reply)}`);
  }

  const folder = await waitFor(() => {
    const found = fs.readdirSync(s.downloads).filter((n) => n.startsWith('temoin-'))
      .map((n) => path.join(s.downloads, n)).find((p) => fs.existsSync(path.join(p, 'dossier.html')));
    return found || null;
  }, { timeoutMs: 20000, message: `a dossier folder in ${s.downloads}` });
  s.note(`dossier folder: ${folder}`);
  for (const f of ['dossier.html', 'tasks.csv', 'balances.csv', 'payouts.csv', 'events.jsonl']) {
    assert.ok(fs.existsSync(path.join(folder, f)), `the dossier has ${f}`);
  }
  if (reply) assert.equal(reply.path, folder, 'the reply says where the dossier was written');
  if (!popupProblem) {
    await d.waitForText(popup, new RegExp(path.basename(folder).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      { message: 'the popup to say where the dossier was written' });
    await s.popupScreenshot(popup, 'dossier-exported', d.kind);
  }

  const tasksCsv = fs.readFileSync(path.join(folder, 'tasks.csv'), 'utf8');
  assert.ok(tasksCsv.includes(TASK1) && tasksCsv.includes(TASK2), 'tasks.csv lists both tasks');
  const balancesCsv = fs.readFileSync(path.join(folder, 'balances.csv'), 'utf8');
  assert.match(balancesCsv, /1312\.50/, 'balances.csv has the balance as a decimal');
  const lines = fs.readFileSync(path.join(folder, 'events.jsonl'), 'utf8').trim().split('\n');
  const dbCount = s.temoin.events().filter((e) => e.platform === DA.platform && e.account === DA.account).length;
  assert.ok(lines.length >= dbCount, `events.jsonl has the account's chain (${lines.length} lines, ${dbCount} events)`);
  const v = s.temoin.run(['verify', '--file', path.join(folder, 'events.jsonl')]);
  assert.equal(v.code, 0, `temoin verify --file events.jsonl: ${v.stdout}${v.stderr}`);

  // The HTML opened in the browser shows the totals.
  const dossier = await d.newPage('dossier');
  await dossier.setViewportSize({ width: 1000, height: 1400 });
  const fetched = [];
  dossier.on('request', (r) => { if (!/^(file|data|blob|about):/.test(r.url())) fetched.push(r.url()); });
  await dossier.goto(pathToFileURL(path.join(folder, 'dossier.html')).href, { waitUntil: 'load' });
  const dtext = await d.text(dossier);
  assert.match(dtext, amountPattern('1312.50'), 'the dossier shows the balance last seen');
  assert.match(dtext, /ana@example\.org/, 'the dossier names the account');
  assert.match(dtext, /DataAnnotation|dataannotation/, 'the dossier names the platform');
  assert.match(dtext, /(?:\b2\s*(?:tasks?|tâches?)\b)|(?:(?:tasks?|tâches?)[^\n0-9]{0,30}\b2\b)/i, 'the dossier counts two tasks');
  await dossier.screenshot({ path: path.join(s.outDir, 'dossier.png'), fullPage: true });
  assert.deepEqual(fetched, [], 'the dossier is self-contained: it fetched nothing');
  assert.deepEqual(d.dialogs, [], 'no dialog opened');
  if (popupProblem) throw popupProblem;
});
