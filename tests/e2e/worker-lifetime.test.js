// The service worker's lifetime, measured without a driver. A driver attached over CDP (Playwright, Puppeteer)
// keeps extension service workers alive by itself, so this test starts Debian's Chromium itself: headless, no
// --remote-debugging-port or pipe, nothing attached, the platform page given on the command line. It watches
// only what lies outside the browser: the temoin-host processes of this test (found in /proc by their
// TEMOIN_DATA_DIR), the database, and the fixture server's log.
//
// Why the host shows the worker's life: the host is the other end of the worker's connectNative port. When
// Chromium stops an extension service worker, it closes the worker's ports, and the host reads end of input and
// exits (docs/protocol.md). So one and the same host process alive through minutes of idleness means the worker
// and its port lived all along; and a new host process after a SIGKILL means the extension reconnected.
//
// The platform page is left after a few seconds (an HTTP `Refresh` header sends the tab to a page that is not a
// platform's), so no content script, heartbeat or page event keeps waking the worker: it is idle.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { e2eTest } from './lib/scenario.js';
import { chromiumBin } from './lib/env.js';
import { extensionFlags, quietFlags, resolverFlags } from './lib/chromium.js';
import { sleep, waitFor } from './lib/temoin.js';
import { waitForEvent } from './lib/checks.js';

const IDLE_MS = Number(process.env.TEMOIN_E2E_IDLE_MS || 130000); // > 4 × the ~30 s idle limit of a worker
const RECONNECT_MS = 80000; // the extension retries from an alarm (30 s at least in Chromium), then backs off

e2eTest('chromium without a driver: the worker and its host survive idleness; the extension reconnects after a SIGKILL',
  { timeout: IDLE_MS + RECONNECT_MS + 60000 }, async (s) => {
    s.temoin.installChromiumProfile(s.profile);
    const idle = `https://127.0.0.1:${s.server.port}/idle`;
    const payments = s.serve('dataannotation/payments.html', { headers: { refresh: `4; url=${idle}` } });

    const log = fs.openSync(path.join(s.outDir, 'chromium-stderr.log'), 'w');
    const child = spawn(chromiumBin(), ['--headless', `--user-data-dir=${s.profile}`, ...quietFlags(),
      ...resolverFlags(s.server.hosts), ...extensionFlags(), '--window-size=800,600', payments],
    { env: s.browserEnv(), detached: true, stdio: ['ignore', log, log] });
    s.note(`chromium started, pid ${child.pid}, no remote debugging`);
    let exited = null;
    child.on('exit', (code, sig) => { exited = { code, sig }; });
    const stopChromium = async () => {
      if (exited) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }
    };

    try {
      await waitForEvent(s, (e) => e.type === 'balance' && e.body.amount === '1312.50', 'the balance of the page', 30000);
      const [host] = await waitFor(() => { const p = s.temoin.hostPids(); return p.length === 1 ? p : null; },
        { timeoutMs: 10000, message: 'one temoin-host process' });
      await waitFor(() => s.server.requestsTo('127.0.0.1', '/idle').length > 0,
        { timeoutMs: 15000, message: 'the tab to leave the platform page' });
      const idleFrom = Date.now();
      const eventsAtIdle = s.temoin.events().length;
      s.note(`idle from now; host ${host}; ${eventsAtIdle} events`);

      // Idle: the same host, alive, all along.
      while (Date.now() - idleFrom < IDLE_MS) {
        await sleep(5000);
        assert.equal(exited, null, 'Chromium is still running');
        const pids = s.temoin.hostPids();
        assert.deepEqual(pids, [host], `after ${Math.round((Date.now() - idleFrom) / 1000)} s idle, the same host process ` +
          `(${host}) is the only one: the worker kept its port (now: ${JSON.stringify(pids)})`);
      }
      s.note(`host ${host} alive after ${Math.round((Date.now() - idleFrom) / 1000)} s idle`);
      const platformEvents = s.temoin.events().slice(eventsAtIdle).filter((e) => e.type !== 'heartbeat');
      assert.deepEqual(platformEvents.map((e) => e.type), [], 'nothing happened on a platform page while idle');

      // Kill the host: the extension must start it again by itself, with nothing attached to the browser.
      process.kill(host, 'SIGKILL');
      const killedAt = Date.now();
      const next = await waitFor(() => { const p = s.temoin.hostPids().filter((x) => x !== host); return p.length ? p[0] : null; },
        { timeoutMs: RECONNECT_MS, intervalMs: 500, message: 'a new temoin-host after the SIGKILL (the extension reconnecting)' });
      s.note(`new host ${next} ${Math.round((Date.now() - killedAt) / 1000)} s after the SIGKILL`);
      await sleep(3000);
      assert.deepEqual(s.temoin.hostPids(), [next], 'the new host stays up (its port is open)');
      const v = s.temoin.run(['verify']);
      assert.equal(v.code, 0, `temoin verify: ${v.stdout}${v.stderr}`);
    } finally {
      await stopChromium();
      fs.closeSync(log);
    }
  });
