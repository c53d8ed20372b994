#!/usr/bin/env node
// popup_bench: how long the popup takes to show the dashboard on a year of a worker's data (issue 4: "a dashboard
// that loads in under 200 ms on a year of data"), in real headless Chromium with the extension loaded and the
// real temoin-host installed into the profile. It prints figures and never fails on a time
// (docs/popup-performance.md explains the method and keeps the figures).
//
//   node bench/popup_bench.mjs [--accounts 4] [--days 365] [--per-day 120] [--events N] [--opens 30] [--cold 10]
//                              [--queries 30] [--starts 4] [--quick] [--regen] [--keep] [--json FILE]
//                              [--host BIN] [--cli BIN] [--gen BIN] [--data-root DIR] [--what-if-sql SQL]
//
// The data set: bench/gen_dataset (the real decoder, event log and projections) writes --events events (by
// default accounts × days × per-day: one session a day per account, one event a minute, so --per-day 120 is two
// hours of work a day on each account) into <data-root>/a<A>-d<D>-e<N>/temoin.db, once; later runs reuse it.
// Each run works on a copy (the host may append its own alert events), with a copy of the host binary (a rebuild
// during the run does not change what is measured).
//
// What is measured, each a phase of its own:
//   host alone      temoin-host over its pipes (tests/contract/host_client.js), the queries the popup sends:
//                   start → first ping reply, the first query.summary of a fresh process, then each query warm
//                   (one in flight), and the popup's pattern (its three queries at once, then the balance histories)
//   first run       the popup opened as soon as the extension's service worker is up, on a fresh profile
//   browser start   the same, the profile reused (--starts N launches in all, the first being the first run)
//   warm            the background's native port connected: what the worker feels on most opens
//   host cold       the host killed (SIGKILL, by pid) and the disconnect seen by the background, then the popup
//                   opened: its questions start the host again (port connect, host start, database open, ping)
//   worker cold     the service worker stopped (CDP ServiceWorker.stopAllWorkers: its port closes, the host
//                   exits), then the popup opened: worker start, IndexedDB, host start, queries
//   static page     help/install.html (HTML and CSS, no script) opened like the popup: the floor of any extension page
// For each open, inside the popup page (performance.now(), origin = the navigation's start): the first message
// the popup sends (its modules loaded and run), each runtime message's reply (chrome.runtime.sendMessage wrapped
// by an init script of the bench: the extension's code is not changed), and the moment #dash gets
// aria-busy="false" (a MutationObserver: set by popup.js right after renderPopup), then the next frame.
//
// --what-if-sql runs SQL on the run's copy of the database before anything is measured (e.g. an index the host
// does not have yet), to see what a change to the store would give the popup.
// --quick: a tiny data set (2 accounts, 30 days), 2 launches, 5 warm opens, 2 of each cold kind: a smoke run in
// under a minute.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------------------------
// Options
function parseArgs(argv) {
  const o = { accounts: 4, days: 365, perDay: 120, events: null, opens: 30, cold: 10, queries: 30, starts: 4, whatIfSql: null, quick: false,
    regen: false, keep: false, json: null, host: null, cli: null, gen: null,
    dataRoot: path.join(REPO, 'build-popup', 'popup-data') };
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} takes a whole number, not ${v}`);
    return n;
  };
  const given = new Set();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    given.add(a);
    switch (a) {
      case '--accounts': o.accounts = num(next(), a); break;
      case '--days': o.days = num(next(), a); break;
      case '--per-day': o.perDay = num(next(), a); break;
      case '--events': o.events = num(next(), a); break;
      case '--opens': o.opens = num(next(), a); break;
      case '--cold': o.cold = num(next(), a); break;
      case '--queries': o.queries = num(next(), a); break;
      case '--starts': o.starts = num(next(), a); break;
      case '--what-if-sql': o.whatIfSql = next(); break;
      case '--quick': o.quick = true; break;
      case '--regen': o.regen = true; break;
      case '--keep': o.keep = true; break;
      case '--json': o.json = path.resolve(next()); break;
      case '--host': o.host = path.resolve(next()); break;
      case '--cli': o.cli = path.resolve(next()); break;
      case '--gen': o.gen = path.resolve(next()); break;
      case '--data-root': o.dataRoot = path.resolve(next()); break;
      case '-h': case '--help':
        console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0]
          .split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${a} (--help)`);
    }
  }
  if (o.quick) {
    if (!given.has('--accounts')) o.accounts = 2;
    if (!given.has('--days')) o.days = 30;
    if (!given.has('--per-day')) o.perDay = 16;
    if (!given.has('--opens')) o.opens = 5;
    if (!given.has('--cold')) o.cold = 2;
    if (!given.has('--queries')) o.queries = 5;
    if (!given.has('--starts')) o.starts = 2;
  }
  if (o.events === null) o.events = o.accounts * o.days * o.perDay;
  if (o.accounts < 1 || o.days < 1 || o.events < 8) throw new Error('at least one account, one day and 8 events');
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { n: 0, median: null, p95: null, max: null, min: null };
  const rank = (p) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))];
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { n: v.length, median, p95: rank(0.95), max: v[v.length - 1], min: v[0] };
}

const fmt = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function statRow(label, values, unit = 'ms') {
  const s = stats(values);
  return [label, s.n, fmt(s.median), fmt(s.p95), fmt(s.max), unit];
}

function firstExisting(...files) {
  for (const f of files) if (f && fs.existsSync(f)) return f;
  return null;
}

function buildTypeOf(bin) {
  const cache = path.join(path.dirname(bin), 'CMakeCache.txt');
  if (!fs.existsSync(cache)) return 'unknown build type';
  const m = /^CMAKE_BUILD_TYPE:STRING=(.*)$/m.exec(fs.readFileSync(cache, 'utf8'));
  return m && m[1] ? m[1] : 'no CMAKE_BUILD_TYPE';
}

function describeBinary(bin) {
  const st = fs.statSync(bin);
  const sha = crypto.createHash('sha256').update(fs.readFileSync(bin)).digest('hex').slice(0, 12);
  return `${path.relative(REPO, bin) || bin} (${buildTypeOf(bin)}, built ${st.mtime.toISOString().slice(0, 16)}Z, sha256 ${sha}…)`;
}

function sql(dbFile, query) {
  const r = spawnSync('sqlite3', ['-readonly', '-json', `file:${dbFile}?mode=ro`, query], { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) return null;
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

// ---------------------------------------------------------------------------------------------------------------
// The data set
function ensureDataset(o) {
  const name = `a${o.accounts}-d${o.days}-e${o.events}`;
  const dir = path.join(o.dataRoot, name);
  const db = path.join(dir, 'temoin.db');
  if (o.regen && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
  if (fs.existsSync(db)) return { dir, db, name, generated: null };
  const gen = o.gen || firstExisting(process.env.TEMOIN_GEN_DATASET, path.join(REPO, 'build-bench', 'gen_dataset'),
    path.join(REPO, 'build', 'gen_dataset'));
  if (!gen) {
    throw new Error('no gen_dataset: build it (cmake --build build-bench --target gen_dataset, a build with ' +
      '-DTEMOIN_BUILD_BENCH=ON) or pass --gen BIN');
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  console.log(`generating ${name}: ${o.events} events, ${o.accounts} accounts, ${o.days} days with ${describeBinary(gen)} …`);
  const t0 = nowMs();
  const r = spawnSync(gen, ['--out', tmp, '--events', String(o.events), '--accounts', String(o.accounts),
    '--days', String(o.days)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gen_dataset failed (exit ${r.status}): ${r.stdout}`);
  fs.renameSync(tmp, dir);
  const seconds = (nowMs() - t0) / 1000;
  console.log(`${r.stdout.trim()}`);
  return { dir, db, name, generated: seconds };
}

function describeDataset(ds) {
  const q = (s) => { const r = sql(ds.db, s); return r && r[0] ? Object.values(r[0])[0] : null; };
  const out = {
    file_mib: fs.statSync(ds.db).size / 1048576,
    events: q('SELECT COUNT(*) FROM events'),
    tasks: q('SELECT COUNT(*) FROM tasks'),
    accounts: q('SELECT COUNT(*) FROM accounts'),
    first: q('SELECT MIN(at) FROM events'),
    last: q('SELECT MAX(at) FROM events'),
  };
  let balances = null;
  for (const t of ['balances', 'balance_history', 'balance_observations']) {
    balances = q(`SELECT COUNT(*) FROM ${t}`);
    if (balances !== null) { out.balance_rows = balances; out.balance_table = t; break; }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The host alone, over its pipes
function localMidnightIso() {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).toISOString();
}

function popupQueries() {
  return [
    { type: 'query.summary' },
    { type: 'query.alerts', state: 'open', limit: 100 },
    { type: 'query.events', event_type: 'task.start', since: localMidnightIso(), limit: 1000 },
  ];
}

function historyQueries(summary) {
  const rows = summary && summary.ok ? summary.accounts.filter((r) => r.currency) : [];
  return rows.map((r) => ({ type: 'query.balance_history', platform: r.platform, account: r.account, currency: r.currency, days: 30 }));
}

async function benchHostAlone({ hostBin, dataDir, home, callerArg, queries, starts }) {
  const { startHost } = await import(path.join(REPO, 'tests', 'contract', 'host_client.js'));
  let n = 0;
  const id = () => `b${++n}`;
  const res = { start_ping: [], first_summary: [], per_type: {}, popup_pattern: [], reply_bytes: {} };
  const timed = async (host, body) => {
    const t0 = nowMs();
    const reply = await host.request({ v: 1, ...body, id: id() }, 60000);
    const ms = nowMs() - t0;
    if (!reply || reply.ok !== true) throw new Error(`host: ${body.type} answered ${JSON.stringify(reply).slice(0, 300)}`);
    res.reply_bytes[body.type] = reply.__bytes;
    return { ms, reply };
  };
  // Starts: spawn → ping reply; then the first query.summary of that process.
  for (let i = 0; i < starts; i++) {
    const t0 = nowMs();
    const host = startHost({ bin: hostBin, dataDir, home, args: [callerArg], timeoutMs: 60000 });
    try {
      const pong = await host.request({ v: 1, type: 'ping', id: id() }, 60000);
      res.start_ping.push(nowMs() - t0);
      if (!pong.ok) throw new Error(`host: ping answered ${JSON.stringify(pong)}`);
      res.first_summary.push((await timed(host, { type: 'query.summary' })).ms);
    } finally {
      await host.close(20000).catch(() => host.dispose({ keep: true }));
    }
  }
  // Warm: one host, one request in flight.
  const host = startHost({ bin: hostBin, dataDir, home, args: [callerArg], timeoutMs: 60000 });
  try {
    await host.request({ v: 1, type: 'ping', id: id() }, 60000);
    const add = (type, ms) => { (res.per_type[type] ||= []).push(ms); };
    let summary = null;
    for (let i = 0; i < queries; i++) {
      for (const q of popupQueries()) {
        const { ms, reply } = await timed(host, q);
        add(q.type, ms);
        if (q.type === 'query.summary') summary = reply;
      }
      for (const q of historyQueries(summary)) add('query.balance_history', (await timed(host, q)).ms);
    }
    res.accounts_with_currency = historyQueries(summary).length;
    // The popup's pattern: the first questions together, then every account's history together (as data.js).
    for (let i = 0; i < queries; i++) {
      const t0 = nowMs();
      const first = popupQueries();
      for (const q of first) await host.send({ v: 1, ...q, id: id() });
      const replies = [];
      for (let k = 0; k < first.length; k++) replies.push(await host.nextReply(60000));
      const hist = historyQueries(replies[0]);
      for (const q of hist) await host.send({ v: 1, ...q, id: id() });
      for (let k = 0; k < hist.length; k++) await host.nextReply(60000);
      res.popup_pattern.push(nowMs() - t0);
    }
  } finally {
    await host.close(20000).catch(() => host.dispose({ keep: true }));
  }
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// The popup in Chromium

// Runs in every page before its own scripts: wraps chrome.runtime.sendMessage to time each message, and records
// when #dash leaves aria-busy (popup.js sets aria-busy="false" right after renderPopup) and the frame after it.
const INIT_SCRIPT = () => {
  if (location.protocol !== 'chrome-extension:') return;
  const pb = { msgs: [], drawn: null, frame: null, hooked: false };
  window.__popupBench = pb;
  try {
    const rt = chrome.runtime;
    const orig = rt.sendMessage.bind(rt);
    rt.sendMessage = (msg, ...rest) => {
      const e = { kind: msg && msg.kind, type: msg && msg.body && msg.body.type, t0: performance.now(), t1: null, ok: null };
      pb.msgs.push(e);
      const p = orig(msg, ...rest);
      if (p && typeof p.then === 'function') {
        p.then((r) => { e.t1 = performance.now(); e.ok = !!(r && r.ok); e.error = r && r.error ? r.error.code : undefined; },
          (err) => { e.t1 = performance.now(); e.ok = false; e.error = String(err && err.message || err); });
      }
      return p;
    };
    pb.hooked = true;
  } catch (err) {
    pb.hookError = String(err);
  }
  new MutationObserver(() => {
    const dash = document.getElementById('dash');
    if (!dash) return;
    // Shown: the first dashboard with accounts on screen, the snapshot of the last open (popup/snapshot.js,
    // data-source="snapshot") or the live figures, whichever comes first.
    if (pb.shown === undefined && dash.getAttribute('data-source') && dash.querySelector('article.account')) {
      pb.shown = performance.now();
      pb.shownFrom = dash.getAttribute('data-source');
    }
    if (pb.drawn !== null || dash.getAttribute('aria-busy') !== 'false') return;
    pb.drawn = performance.now();
    pb.accounts = dash.querySelectorAll('article.account').length;
    requestAnimationFrame(() => { pb.frame = performance.now(); });
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-busy', 'data-source'] });
};

const READ_RESULT = () => {
  const pb = window.__popupBench;
  const nav = performance.getEntriesByType('navigation')[0];
  // Each file the page fetched (modules, CSS): when asked and when received, for the --json figures.
  const resources = performance.getEntriesByType('resource').map((r) => ({ name: r.name.replace(/^.*\/\/[^/]+/, ''),
    start: r.startTime, end: r.responseEnd }));
  return { pb, resources, nav: nav ? { domInteractive: nav.domInteractive, dcl: nav.domContentLoadedEventStart, load: nav.loadEventEnd } : null };
};

async function openOnce(b, label) {
  const t0 = nowMs();
  const page = await b.context.newPage();
  try {
    await page.goto(b.popupUrl(), { waitUntil: 'commit', timeout: 30000 });
    await page.waitForFunction(() => window.__popupBench && window.__popupBench.drawn !== null, null,
      { timeout: 60000, polling: 10 });
    const wall = nowMs() - t0;
    await page.waitForFunction(() => window.__popupBench.frame !== null, null, { timeout: 2000, polling: 10 }).catch(() => {});
    const { pb, nav, resources } = await page.evaluate(READ_RESULT);
    return { ...analyse(label, pb, nav, wall), resources };
  } finally {
    await page.close().catch(() => {});
  }
}

function analyse(label, pb, nav, wall) {
  const msgs = pb.msgs || [];
  const before = msgs.filter((m) => m.t0 <= pb.drawn);
  const firstSent = before.length ? Math.min(...before.map((m) => m.t0)) : null;
  const lastReply = before.length ? Math.max(...before.map((m) => m.t1 ?? -Infinity)) : null;
  const byType = {};
  for (const m of before) {
    const key = m.kind === 'host' ? m.type : m.kind;
    (byType[key] ||= []).push(m.t1 !== null ? m.t1 - m.t0 : null);
  }
  const failed = before.filter((m) => m.ok !== true).map((m) => `${m.kind === 'host' ? m.type : m.kind}:${m.error || 'no reply'}`);
  return {
    label, hooked: pb.hooked, drawn: pb.drawn, frame: pb.frame, wall, accounts: pb.accounts,
    shown: pb.shown ?? pb.drawn, shown_from: pb.shownFrom ?? 'live',
    dom_interactive: nav && nav.domInteractive, dcl: nav && nav.dcl,
    first_sent: firstSent, last_reply: lastReply,
    data: firstSent !== null && lastReply !== null ? lastReply - firstSent : null,
    render: lastReply !== null ? pb.drawn - lastReply : null,
    messages: before.length, by_type: byType, failed, ok: failed.length === 0,
  };
}

// The floor of any extension page here: a static one (help/install.html: HTML and popup.css, no script).
async function openStatic(b) {
  const t0 = nowMs();
  const page = await b.context.newPage();
  try {
    await page.goto(`${b.base}help/install.html`, { waitUntil: 'load', timeout: 30000 });
    const wall = nowMs() - t0;
    const { nav } = await page.evaluate(READ_RESULT);
    return { label: 'static page', ok: true, dom_interactive: nav.domInteractive, dcl: nav.dcl, load: nav.load, wall };
  } finally {
    await page.close().catch(() => {});
  }
}

async function waitUntil(fn, timeoutMs, what, intervalMs = 10) {
  const end = nowMs() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (nowMs() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

async function benchBrowser({ o, temoin, workDir, hostBin }) {
  const { launchChromium } = await import(path.join(REPO, 'tests', 'e2e', 'lib', 'chromium.js'));
  const profile = path.join(workDir, 'profile');
  temoin.installChromiumProfile(profile);
  const env = { ...temoin.env(), XDG_CACHE_HOME: path.join(temoin.home, '.cache') };
  delete env.XDG_DOWNLOAD_DIR;
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const out = { first_run: [], browser_start: [], warm: [], static_page: [], static_cold: [], host_cold: [], worker_cold: [], notes: [] };
  // Browser starts: the popup opened as soon as the service worker is up (the background's own connection to the
  // host is then under way). The first launch is a fresh profile (the extension installed, its storage created);
  // the next ones reuse the profile, as a worker's browser does.
  let b = null;
  try {
    for (let i = 0; i < Math.max(1, o.starts); i++) {
      if (b) {
        await b.close();
        await waitUntil(() => temoin.hostPids().length === 0, 20000, 'the host to exit with the browser');
        await sleep(300);
      }
      b = await launchChromium({ userDataDir: profile, env, hosts: [] });
      await b.context.addInitScript(INIT_SCRIPT);
      const hostUp = temoin.hostPids().length > 0;
      const r = await openOnce(b, i === 0 ? 'first run' : 'browser start');
      r.host_up_before = hostUp;
      if (!r.hooked) { await b.close(); throw new Error('the init script could not wrap chrome.runtime.sendMessage'); }
      (i === 0 ? out.first_run : out.browser_start).push(r);
      await waitUntil(() => temoin.hostPids().length === 1, 20000, 'one temoin-host process');
    }

    for (let i = 0; i < o.opens; i++) out.warm.push(await openOnce(b, 'warm'));
    for (let i = 0; i < Math.min(o.opens, 10); i++) out.static_page.push(await openStatic(b));

    // Host cold: kill the host; once the background has seen the disconnect (it then sets its reconnect alarm,
    // and would reconnect by itself 2 s later), open the popup.
    for (let i = 0, tries = 0; i < o.cold && tries < o.cold * 3; tries++) {
      const pids = temoin.hostPids();
      for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      const killedAt = nowMs();
      await waitUntil(() => temoin.hostPids().length === 0, 10000, 'the killed host to be gone');
      const worker = b.currentWorker();
      await waitUntil(() => worker.evaluate(() => chrome.alarms.get('temoin-reconnect').then((a) => !!a)), 5000,
        'the background to see the disconnect');
      const seen = nowMs() - killedAt;
      if (temoin.hostPids().length) { out.notes.push('host cold: reconnected before the popup opened; round repeated'); continue; }
      const r = await openOnce(b, 'host cold');
      r.disconnect_seen_after = seen;
      out.host_cold.push(r);
      i++;
      await waitUntil(() => temoin.hostPids().length === 1, 20000, 'the new temoin-host');
      await sleep(300);
    }

    // Worker cold: stop the extension's service worker (its port closes and the host reads end of input).
    const helper = await b.context.newPage();
    const cdp = await b.context.newCDPSession(helper);
    await cdp.send('ServiceWorker.enable');
    for (let i = 0; i < o.cold; i++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await waitUntil(() => temoin.hostPids().length === 0, 15000, 'the host to exit after the worker stopped');
      out.worker_cold.push(await openOnce(b, 'worker cold'));
      await waitUntil(() => temoin.hostPids().length === 1, 20000, 'the new temoin-host');
      await sleep(300);
    }
    // The floor of a worker-cold open: the static page opened the same way (no script: nothing wakes the worker).
    for (let i = 0; i < Math.min(o.cold, 5); i++) {
      await cdp.send('ServiceWorker.stopAllWorkers');
      await waitUntil(() => temoin.hostPids().length === 0, 15000, 'the host to exit after the worker stopped');
      await sleep(300);
      out.static_cold.push(await openStatic(b));
    }
    await helper.close().catch(() => {});
  } finally {
    if (b) await b.close();
    await sleep(200);
    for (const pid of temoin.hostPids()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
function report(o, ctx, host, br) {
  const lines = [];
  const p = (s = '') => lines.push(s);
  p();
  p(`== popup_bench ${new Date().toISOString()} ==`);
  p(`machine: ${os.cpus().length} CPUs (${os.cpus()[0] && os.cpus()[0].model}), load average ${ctx.loadBefore.map((x) => x.toFixed(2)).join(' ')} at start, ` +
    `${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at end`);
  p(`host: ${ctx.hostDesc}`);
  p(`browser: ${ctx.browserVersion}`);
  const d = ctx.data;
  p(`data: ${ctx.ds.name}: ${d.events} events, ${d.tasks} tasks, ${d.accounts} accounts, ${d.balance_rows ?? '?'} ${d.balance_table || 'balance'} rows, ` +
    `${d.file_mib.toFixed(1)} MiB, ${d.first} → ${d.last}` +
    (ctx.ds.generated !== null ? ` (generated in ${ctx.ds.generated.toFixed(0)} s)` : ' (reused)'));
  if (ctx.stale) p(`NOTE: ${ctx.stale}`);
  if (o.whatIfSql) p(`WHAT-IF: applied to this run's copy of the database first: ${o.whatIfSql}`);
  p();
  if (host) {
    p(`-- temoin-host alone, over its pipes (database in the OS cache; ${o.queries} rounds) --`);
    const rows = [statRow('start → ping reply', host.start_ping), statRow('first query.summary of a new process', host.first_summary)];
    for (const [type, v] of Object.entries(host.per_type)) {
      rows.push(statRow(`${type}${type === 'query.balance_history' ? ` (×${host.accounts_with_currency} per open)` : ''}`, v));
    }
    rows.push(statRow(`popup's pattern: 3 queries at once, then ${host.accounts_with_currency} histories`, host.popup_pattern));
    p(table(['what', 'n', 'median', 'p95', 'max', ''], rows));
    p(`reply sizes (bytes): ${Object.entries(host.reply_bytes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    p();
  }
  if (br) {
    p('-- the popup in headless Chromium: navigation start → #dash drawn (aria-busy="false") --');
    const phases = [['first run (fresh profile)', br.first_run], ['browser start (profile reused)', br.browser_start],
      ['warm (port connected)', br.warm],
      ['host cold (host killed)', br.host_cold], ['worker cold (worker stopped)', br.worker_cold]];
    const rows = [];
    for (const [label, runs] of phases) {
      if (!runs.length) continue;
      const good = runs.filter((r) => r.ok);
      const s = stats(good.map((r) => r.drawn));
      const goal = s.median === null ? '' : s.median <= 200 ? 'yes' : `no (+${fmt(s.median - 200)} ms)`;
      rows.push([label, `${good.length}/${runs.length}`, fmt(s.median), fmt(s.p95), fmt(s.max),
        fmt(stats(good.map((r) => r.frame)).median), fmt(stats(good.map((r) => r.wall)).median), goal]);
    }
    p(table(['open', 'ok', 'median', 'p95', 'max', 'next frame (median)', 'driver wall (median)', '≤ 200 ms (median)?'], rows));
    p();
    p('-- the popup: navigation start → first dashboard on screen (the last snapshot, or the live figures if they come first) --');
    const rowsShown = [];
    for (const [label, runs] of phases) {
      const good = runs.filter((r) => r.ok);
      if (!good.length) continue;
      const s = stats(good.map((r) => r.shown));
      const goal = s.median === null ? '' : s.median <= 200 ? 'yes' : `no (+${fmt(s.median - 200)} ms)`;
      rowsShown.push([label, fmt(s.median), fmt(s.p95), fmt(s.max), `${good.filter((r) => r.shown_from === 'snapshot').length}/${good.length}`, goal]);
    }
    p(table(['open', 'median', 'p95', 'max', 'from the snapshot', '≤ 200 ms (median)?'], rowsShown));
    p();
    p('-- where the time goes (medians, ms, from navigation start) --');
    const rows2 = [];
    for (const [label, runs] of phases) {
      const good = runs.filter((r) => r.ok);
      if (!good.length) continue;
      const m = (f) => fmt(stats(good.map(f)).median);
      rows2.push([label, m((r) => r.dom_interactive), m((r) => r.first_sent), m((r) => r.data),
        m((r) => r.render), m((r) => r.drawn)]);
    }
    p(table(['open', 'DOM interactive', 'first message sent (modules run)', 'messages (first sent → last reply)',
      'render (last reply → drawn)', 'drawn'], rows2));
    if (br.static_page.length) {
      const m = (f) => fmt(stats(br.static_page.map(f)).median);
      p(`a static extension page (help/install.html, no script), ${br.static_page.length} opens: DOM interactive ${m((r) => r.dom_interactive)}, ` +
        `load ${m((r) => r.load)}, driver wall ${m((r) => r.wall)} ms (medians): the floor of any extension page here`);
    }
    if (br.static_cold.length) {
      const m = (f) => fmt(stats(br.static_cold.map(f)).median);
      p(`the same static page right after the worker was stopped, ${br.static_cold.length} opens: DOM interactive ${m((r) => r.dom_interactive)}, ` +
        `load ${m((r) => r.load)} ms (medians): the floor of a worker-cold open`);
    }
    p();
    p('-- each runtime message, sent → reply (through the background; host queries over the native port), medians, ms --');
    const types = [...new Set(phases.flatMap(([, runs]) => runs.flatMap((r) => Object.keys(r.by_type))))];
    const rows3 = [];
    for (const [label, runs] of phases) {
      const good = runs.filter((r) => r.ok);
      if (!good.length) continue;
      rows3.push([label, ...types.map((t) => fmt(stats(good.flatMap((r) => r.by_type[t] || [])).median))]);
    }
    p(table(['open', ...types.map((t) => t.replace(/^query\./, 'q.'))], rows3));
    const bad = Object.values(br).filter(Array.isArray).flat().filter((r) => r && r.ok === false);
    if (bad.length) p(`\n${bad.length} open(s) drew with a failed message (left out above): ${bad.map((r) => `${r.label}: ${r.failed.join(', ')}`).slice(0, 5).join('; ')}`);
    const starts = [...br.first_run, ...br.browser_start];
    if (starts.length) p(`browser starts: a temoin-host was already running when the popup opened in ${starts.filter((r) => r.host_up_before).length} of ${starts.length}`);
    const cold = br.host_cold.map((r) => r.disconnect_seen_after);
    if (cold.length) p(`host cold: the background saw the disconnect ${fmt(stats(cold).median)} ms (median) after the SIGKILL; the popup opened right after`);
    for (const n of new Set(br.notes)) p(`note: ${n}`);
    const acc = stats(br.warm.map((r) => r.accounts));
    p(`accounts drawn per open: ${acc.min ?? '–'}–${acc.max ?? '–'}`);
  }
  return lines.join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const loadBefore = os.loadavg();
  const hostSrc = o.host || process.env.TEMOIN_HOST_BIN || path.join(REPO, 'build', 'temoin-host');
  const cliSrc = o.cli || process.env.TEMOIN_CLI_BIN || firstExisting(path.join(path.dirname(hostSrc), 'temoin'), path.join(REPO, 'build', 'temoin'));
  for (const [what, f] of [['temoin-host', hostSrc], ['temoin', cliSrc]]) {
    if (!f || !fs.existsSync(f)) throw new Error(`${what} not found (${f}): build it or pass --host / --cli`);
  }
  const ds = ensureDataset(o);
  const data = describeDataset(ds);
  const lastDay = data.last ? data.last.slice(0, 10) : null;
  const today = new Date().toISOString().slice(0, 10);
  const stale = lastDay && lastDay !== today
    ? `the data set ends on ${lastDay} (UTC), not today: the popup's "today" figures are empty; --regen writes a fresh one` : null;

  // A private copy of the data, the host and the CLI; HOME and the browser profile in the same folder.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-popup-bench-'));
  const dataDir = path.join(workDir, 'data');
  const home = path.join(workDir, 'home');
  const binDir = path.join(workDir, 'bin');
  for (const dir of [dataDir, home, binDir, path.join(home, '.config'), path.join(home, 'Downloads')]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of ['temoin.db', 'temoin.db-wal']) {
    const src = path.join(ds.dir, f);
    if (fs.existsSync(src)) { fs.copyFileSync(src, path.join(dataDir, f)); fs.chmodSync(path.join(dataDir, f), 0o600); }
  }
  if (o.whatIfSql) {
    const r = spawnSync('sqlite3', [path.join(dataDir, 'temoin.db'), o.whatIfSql], { encoding: 'utf8', timeout: 600000 });
    if (r.status !== 0) throw new Error(`--what-if-sql failed: ${r.stderr}`);
  }
  const hostBin = path.join(binDir, 'temoin-host');
  const cliBin = path.join(binDir, 'temoin');
  fs.copyFileSync(hostSrc, hostBin); fs.chmodSync(hostBin, 0o755);
  fs.copyFileSync(cliSrc, cliBin); fs.chmodSync(cliBin, 0o755);
  process.env.TEMOIN_HOST_BIN = hostBin;
  process.env.TEMOIN_CLI_BIN = cliBin;

  const { Temoin } = await import(path.join(REPO, 'tests', 'e2e', 'lib', 'temoin.js'));
  const { CHROMIUM_EXTENSION_ID, chromiumBin } = await import(path.join(REPO, 'tests', 'e2e', 'lib', 'env.js'));
  const temoin = new Temoin({ dataDir, home });
  const v = spawnSync(chromiumBin(), ['--version'], { encoding: 'utf8' });
  const ctx = { loadBefore, ds, data, stale, hostDesc: describeBinary(hostSrc), browserVersion: (v.stdout || '').trim() || chromiumBin() };

  console.log(`popup_bench: ${ds.name}, ${o.opens} warm opens, ${o.cold} host-cold and ${o.cold} worker-cold opens; work folder ${workDir}`);
  let host = null;
  let br = null;
  try {
    host = await benchHostAlone({ hostBin, dataDir, home, callerArg: `chrome-extension://${CHROMIUM_EXTENSION_ID}/`,
      queries: o.queries, starts: Math.max(2, Math.min(10, o.cold)) });
    br = await benchBrowser({ o, temoin, workDir, hostBin });
  } finally {
    const text = report(o, ctx, host, br);
    console.log(text);
    if (o.json) {
      fs.writeFileSync(o.json, JSON.stringify({ options: o, context: { ...ctx, loadAfter: os.loadavg() }, host, browser: br }, null, 1));
      console.log(`\nraw figures: ${o.json}`);
    }
    if (o.keep) console.log(`work folder kept: ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`popup_bench: ${e && e.stack || e}`);
  process.exit(1);
});
