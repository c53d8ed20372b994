// Debian's Chromium driven by playwright-core, with the unpacked extension loaded and a fresh profile.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_EXTENSION_ID, EXTENSION_DIR, chromiumBin, popupPath } from './env.js';

/** Flags for this closed network: nothing fetched in the background, no sync, no updates, no first-run UI. */
export function quietFlags() {
  return ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-first-run',
    '--no-default-browser-check', '--disable-domain-reliability', '--disable-client-side-phishing-detection',
    '--metrics-recording-only', '--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider',
    '--password-store=basic', '--use-mock-keychain'];
}

/** The platform host names resolved to 127.0.0.1, everything else refused. */
export function resolverFlags(hosts) {
  const rules = [...hosts.map((h) => `MAP ${h} 127.0.0.1`), 'EXCLUDE 127.0.0.1', 'EXCLUDE localhost', 'MAP * ~NOTFOUND'];
  return [`--host-resolver-rules=${rules.join(', ')}`, '--ignore-certificate-errors'];
}

export function extensionFlags() {
  return [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`];
}

/** Starts Chromium alone for a few seconds with logging on, and returns what it says about loading the extension. */
export async function extensionLoadErrors() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-e2e-load-'));
  const child = spawn(chromiumBin(), ['--headless', `--user-data-dir=${dir}`, ...quietFlags(), ...extensionFlags(),
    '--enable-logging=stderr', '--v=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let err = '';
  child.stderr.on('data', (b) => { err += b; });
  await new Promise((r) => setTimeout(r, 5000));
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  await new Promise((r) => setTimeout(r, 200));
  fs.rmSync(dir, { recursive: true, force: true });
  return err.split('\n').filter((l) => /extension|manifest|service worker/i.test(l) && !/dbus/i.test(l)).join('\n').slice(0, 2000);
}

/**
 * Launches Chromium on userDataDir with the extension. env reaches temoin-host (TEMOIN_DATA_DIR, HOME).
 * Returns {context, worker, extensionId, popupUrl, openPopup()}.
 */
export async function launchChromium({ userDataDir, env, hosts, viewport = { width: 420, height: 720 } }) {
  fs.mkdirSync(userDataDir, { recursive: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumBin(),
    headless: true,
    env,
    viewport,
    ignoreHTTPSErrors: true,
    args: [...quietFlags(), ...resolverFlags(hosts), ...extensionFlags()],
    timeout: 30000,
  });
  let worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) {
    worker = await context.waitForEvent('serviceworker', { timeout: 15000 }).catch(() => null);
  }
  if (!worker) {
    await context.close().catch(() => {});
    const why = await extensionLoadErrors();
    throw new Error('the extension\'s service worker did not start: Chromium did not load extension/ ' +
      `(${EXTENSION_DIR})${why ? `; Chromium said:\n${why}` : ''}`);
  }
  const extensionId = new URL(worker.url()).host;
  if (extensionId !== CHROMIUM_EXTENSION_ID) {
    await context.close().catch(() => {});
    throw new Error(`the unpacked extension has id ${extensionId}, not ${CHROMIUM_EXTENSION_ID}: the manifest's key changed`);
  }
  const base = `chrome-extension://${extensionId}/`;
  return {
    context,
    worker,
    extensionId,
    base,
    popupUrl: () => base + popupPath(),
    /** The current service worker (a new one after the old one was stopped). */
    currentWorker() {
      return context.serviceWorkers().find((w) => w.url().startsWith(base)) || worker;
    },
    async openPopup(query = '') {
      const page = await context.newPage();
      await page.goto(base + popupPath() + query);
      return page;
    },
    async close() { await context.close().catch(() => {}); },
  };
}
