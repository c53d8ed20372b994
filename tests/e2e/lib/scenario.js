// One end-to-end test's world: a temporary folder (TEMOIN_DATA_DIR, HOME, a fresh browser profile), the fixture
// server, the Témoin CLI bound to that folder, and an output folder tests/out/<test>/ that keeps, on failure,
// a screenshot of every open page, the host's log, the event log and the server's requests. Popup screenshots
// are kept there in every run, and copied to docs/screenshots/ when TEMOIN_E2E_UPDATE_SCREENSHOTS=1.
//
//   e2eTest('chromium: a worker\'s day', async (s) => { const b = await s.chromium(); ... });
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FIXTURES_DIR, OUT_ROOT, SCREENSHOTS_DIR, cliBin, hostBin } from './env.js';
import { startFixtureServer } from './server.js';
import { Temoin } from './temoin.js';
import { launchChromium } from './chromium.js';
import { launchFirefox } from './firefox.js';

export function slugify(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

/** The real URL of a fixture page, from tests/fixtures/platforms/<platform>/fixtures.json. */
export function fixtureRealUrl(rel) {
  const [platform, file] = rel.split('/');
  const index = path.join(FIXTURES_DIR, platform, 'fixtures.json');
  if (!fs.existsSync(index)) throw new Error(`no ${path.relative(process.cwd(), index)}: the ${platform} fixtures are not there yet`);
  const list = JSON.parse(fs.readFileSync(index, 'utf8'));
  const entry = list.find((e) => e.file === file);
  if (!entry) throw new Error(`${platform}/fixtures.json does not list ${file}`);
  return new URL(entry.url);
}

export class Scenario {
  constructor(name) {
    this.name = name;
    this.slug = slugify(name);
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `temoin-e2e-${this.slug.slice(0, 30)}-`));
    this.dataDir = path.join(this.root, 'data');
    this.home = path.join(this.root, 'home');
    this.profile = path.join(this.root, 'profile');
    this.downloads = path.join(this.home, 'Downloads');
    for (const d of [this.dataDir, this.home, this.profile, this.downloads, path.join(this.home, '.config')]) {
      fs.mkdirSync(d, { recursive: true });
    }
    // Where `xdg-user-dir DOWNLOAD` looks, as on a desktop.
    fs.writeFileSync(path.join(this.home, '.config', 'user-dirs.dirs'), 'XDG_DOWNLOAD_DIR="$HOME/Downloads"\n');
    this.outDir = path.join(OUT_ROOT, this.slug);
    fs.rmSync(this.outDir, { recursive: true, force: true });
    fs.mkdirSync(this.outDir, { recursive: true });
    this.temoin = new Temoin({ dataDir: this.dataDir, home: this.home });
    this.browsers = [];
    this.consoleLines = [];
    this.notes = [];
  }

  async init() {
    this.server = await startFixtureServer();
    return this;
  }

  /** The environment the browser (and so temoin-host) runs with. */
  browserEnv() {
    const env = { ...process.env, TEMOIN_DATA_DIR: this.dataDir, HOME: this.home,
      XDG_CONFIG_HOME: path.join(this.home, '.config'), XDG_DATA_HOME: path.join(this.home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(this.home, '.cache') };
    delete env.XDG_DOWNLOAD_DIR;
    delete env.DBUS_SESSION_BUS_ADDRESS;
    return env;
  }

  note(line) { this.notes.push(`[${new Date().toISOString()}] ${line}`); }

  /**
   * Serves a fixture page at its real URL (from fixtures.json, or `at`); returns the URL to open.
   * opts.transform(html) changes the page (another amount, a longer title).
   */
  serve(rel, opts = {}) {
    const real = opts.at ? new URL(opts.at) : fixtureRealUrl(rel);
    this.server.route(real.hostname, real.pathname, { file: rel, transform: opts.transform, headers: opts.headers });
    return this.server.url(real.hostname, real.pathname + real.search);
  }

  /** Chromium with the extension; installs the host into the profile unless install === false. */
  async chromium({ install = true } = {}) {
    if (install) this.manifestFile = this.temoin.installChromiumProfile(this.profile);
    const b = await launchChromium({ userDataDir: this.profile, env: this.browserEnv(), hosts: this.server.hosts });
    b.kind = 'chromium';
    this.browsers.push(b);
    const log = (where) => (msg) => this.consoleLines.push(`[${new Date().toISOString()}] ${where} ${msg.type()}: ${msg.text()}`);
    b.context.on('page', (p) => p.on('console', log(`page ${p.url().slice(0, 80)}`)));
    b.worker.on('console', log('worker'));
    b.context.on('serviceworker', (w) => { this.note(`new service worker ${w.url()}`); w.on('console', log('worker')); });
    return b;
  }

  /** Firefox ESR with the extension; installs the host into this HOME unless install === false. */
  async firefox({ install = true } = {}) {
    if (install) this.manifestFile = this.temoin.installFirefox();
    const b = await launchFirefox({ env: this.browserEnv(), hosts: this.server.hosts });
    b.kind = 'firefox';
    this.browsers.push(b);
    return b;
  }

  /** Keeps a screenshot of the popup in tests/out/<test>/ (and docs/screenshots/ when asked). */
  async popupScreenshot(page, label, browserKind = 'chromium') {
    const file = path.join(this.outDir, `popup-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const artifacts = path.join(OUT_ROOT, 'screenshots');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.copyFileSync(file, path.join(artifacts, `${browserKind}-${label}.png`));
    if (process.env.TEMOIN_E2E_UPDATE_SCREENSHOTS === '1') {
      fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      fs.copyFileSync(file, path.join(SCREENSHOTS_DIR, `${browserKind}-${label}.png`));
    }
    return file;
  }

  async allPages() {
    const pages = [];
    for (const b of this.browsers) {
      try {
        if (b.kind === 'chromium') pages.push(...b.context.pages());
        else pages.push(...(await b.browser.pages()));
      } catch { /* browser gone */ }
    }
    return pages;
  }

  /** What a failure leaves behind. */
  async saveFailure(error) {
    const write = (name, text) => { try { fs.writeFileSync(path.join(this.outDir, name), text); } catch { /* ignore */ } };
    write('error.txt', `${error && error.stack || error}\n`);
    let i = 0;
    for (const page of await this.allPages()) {
      i += 1;
      let url = '';
      try { url = page.url(); } catch { /* closed */ }
      try {
        await Promise.race([
          page.screenshot({ path: path.join(this.outDir, `failure-${i}.png`), fullPage: true }),
          new Promise((_, rej) => setTimeout(() => rej(new Error('screenshot timeout')), 5000)),
        ]);
        this.note(`failure-${i}.png: ${url}`);
      } catch (e) {
        this.note(`no screenshot of page ${i} (${url}): ${e.message}`);
      }
    }
  }

  async closeBrowsers() {
    for (const b of this.browsers) await b.close();
    this.browsers = [];
    // Give the hosts Chrome's 2 s grace to see the end of input and exit.
    const until = Date.now() + 3000;
    while (this.temoin.hostPids().length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  }

  saveLogs() {
    const write = (name, text) => { try { fs.writeFileSync(path.join(this.outDir, name), text); } catch { /* ignore */ } };
    write('temoin-host.log', this.temoin.hostLog() || '(the host wrote no log: it never ran in this test)\n');
    try { write('events.json', JSON.stringify(this.temoin.events(), null, 1)); } catch (e) { write('events.json', String(e)); }
    write('requests.json', JSON.stringify(this.server ? this.server.requests : [], null, 1));
    write('console.log', this.consoleLines.join('\n') + '\n');
    write('notes.txt', this.notes.join('\n') + '\n');
  }

  async close() {
    await this.closeBrowsers();
    if (this.server) await this.server.close();
    // Hosts still running after the browser closed would be a leak of this test; they are ours: end them.
    for (const pid of this.temoin.hostPids()) {
      this.note(`host ${pid} still running after the browser closed: killed`);
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    if (process.env.TEMOIN_E2E_KEEP_TMP !== '1') fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A node:test test with a Scenario; artefacts on failure. */
export function e2eTest(name, fnOrOpts, maybeFn) {
  const fn = typeof fnOrOpts === 'function' ? fnOrOpts : maybeFn;
  const opts = typeof fnOrOpts === 'function' ? {} : fnOrOpts;
  const budget = opts.timeout || 50000;
  // The scenario's own deadline comes first, so that a slow scenario still leaves its artefacts; node's timeout
  // is only the last resort.
  return test(name, { timeout: budget + 30000 }, async (t) => {
    // Fail early and clearly when the binaries are not built.
    hostBin();
    cliBin();
    const s = await new Scenario(name).init();
    s.t = t;
    let timer;
    try {
      await Promise.race([fn(s, t), new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the scenario took longer than ${budget} ms`)), budget);
      })]);
    } catch (e) {
      await s.saveFailure(e);
      throw e;
    } finally {
      clearTimeout(timer);
      // The browsers first: their hosts then read end of input, finish and flush their logs.
      await s.closeBrowsers();
      s.saveLogs();
      await s.close();
    }
  });
}
