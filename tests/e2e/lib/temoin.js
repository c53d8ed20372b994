// The Témoin side of a test: the CLI (`temoin install`, `temoin status --json`, …), the SQLite database in the
// test's TEMOIN_DATA_DIR (read with the sqlite3 shell, read-only), the host's log, and the temoin-host processes
// the browser started for this test (found by their TEMOIN_DATA_DIR, which is unique to the test).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliBin, hostBin } from './env.js';

export class Temoin {
  /** @param {{dataDir: string, home: string}} dirs */
  constructor({ dataDir, home }) {
    this.dataDir = dataDir;
    this.home = home;
    this.hostBin = hostBin();
    this.cliBin = cliBin();
  }

  env(extra = {}) {
    return { ...process.env, TEMOIN_DATA_DIR: this.dataDir, HOME: this.home, XDG_CONFIG_HOME: path.join(this.home, '.config'),
      XDG_DATA_HOME: path.join(this.home, '.local', 'share'), XDG_DOWNLOAD_DIR: path.join(this.home, 'Downloads'), ...extra };
  }

  /** Runs the CLI; returns {code, stdout, stderr}. */
  run(args, { env = {}, input } = {}) {
    const r = spawnSync(this.cliBin, args, { env: this.env(env), encoding: 'utf8', input, timeout: 30000 });
    if (r.error) throw r.error;
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs the CLI and throws with its output unless it exits 0. */
  must(args, opts) {
    const r = this.run(args, opts);
    if (r.code !== 0) {
      throw new Error(`temoin ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    }
    return r;
  }

  /** The real installer, into a Chromium --user-data-dir. Returns the manifest's path. */
  installChromiumProfile(userDataDir) {
    const r = this.must(['install', '--profile', userDataDir, '--host', this.hostBin, '--no-timer']);
    const file = path.join(userDataDir, 'NativeMessagingHosts', 'org.temoin.host.json');
    if (!fs.existsSync(file)) throw new Error(`temoin install --profile did not write ${file}:\n${r.stdout}${r.stderr}`);
    return file;
  }

  /** The real installer, for Firefox in this test's HOME. Returns the manifest's path. */
  installFirefox() {
    const r = this.must(['install', '--browser', 'firefox', '--host', this.hostBin, '--no-timer']);
    const file = path.join(this.home, '.mozilla', 'native-messaging-hosts', 'org.temoin.host.json');
    if (!fs.existsSync(file)) throw new Error(`temoin install --browser firefox did not write ${file}:\n${r.stdout}${r.stderr}`);
    return file;
  }

  /** `temoin status --json`, parsed. */
  status() {
    const r = this.must(['status', '--json']);
    try {
      return JSON.parse(r.stdout);
    } catch (e) {
      throw new Error(`temoin status --json printed something that is not JSON: ${r.stdout.slice(0, 500)}`);
    }
  }

  get dbFile() { return path.join(this.dataDir, 'temoin.db'); }

  /** Rows of a read-only SQL query on the test's database (sqlite3 -json). [] when the database is not there. */
  sql(query) {
    if (!fs.existsSync(this.dbFile)) return [];
    const out = execFileSync('sqlite3', ['-readonly', '-json', `file:${this.dbFile}?mode=ro`, query],
      { encoding: 'utf8', timeout: 15000 });
    return out.trim() ? JSON.parse(out) : [];
  }

  /** The event log, in seq order, bodies parsed. */
  events() {
    return this.sql('SELECT seq, id, type, platform, account, at, body FROM events ORDER BY seq')
      .map((r) => ({ ...r, body: JSON.parse(r.body) }));
  }

  hostLog() {
    const parts = [];
    for (const name of ['temoin-host.log.2', 'temoin-host.log.1', 'temoin-host.log']) {
      const f = path.join(this.dataDir, name);
      if (fs.existsSync(f)) parts.push(fs.readFileSync(f, 'utf8'));
    }
    return parts.join('');
  }

  /** PIDs of temoin-host processes whose TEMOIN_DATA_DIR is this test's: the ones this test's browser started. */
  hostPids() {
    const pids = [];
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const exe = fs.readlinkSync(`/proc/${name}/exe`);
        if (path.basename(exe).replace(/ \(deleted\)$/, '') !== path.basename(this.hostBin)) continue;
        const environ = fs.readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
        if (environ.includes(`TEMOIN_DATA_DIR=${this.dataDir}`)) {
          const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
          if (/\) Z /.test(stat)) continue; // a zombie is not a running host
          pids.push(Number(name));
        }
      } catch { /* gone, or not ours */ }
    }
    return pids.sort((a, b) => a - b);
  }
}

/** Polls fn() until it returns a truthy value; throws `message` (plus the last value) after timeoutMs. */
export async function waitFor(fn, { timeoutMs = 15000, intervalMs = 200, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const detail = lastError ? ` (last error: ${lastError.message})` : ` (last value: ${JSON.stringify(last)?.slice(0, 400)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
