// Talks to a real temoin-host over its pipes, as a browser does: 4-byte little-endian length + UTF-8 JSON, both
// ways (docs/protocol.md, "Framing"). Shared by the contract tests and the end-to-end tests.
//
//   const host = await startHost();                 // fresh temporary TEMOIN_DATA_DIR
//   const reply = await host.request({ v: 1, type: 'ping', id: 'p1' });
//   host.sendRaw(frameBytes({ text: '{' }));         // any bytes; then
//   const r = await host.nextReply();                // the next reply in order
//   const { code } = await host.close();             // ends stdin, waits for the exit
//   host.pushes                                      // alert pushes seen so far
//
// Replies come back in request order; pushes (frames with a `type`, no `re`) may come in between and are set
// aside in host.pushes. Every wait has a timeout so that a silent host fails a test instead of hanging it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAX_REQUEST_BYTES = 1 << 20; // 1 MiB
export const MAX_SKIPPABLE_BYTES = 64 << 20; // 64 MiB
export const MAX_REPLY_BYTES = 1 << 20;

/** The host binary: $TEMOIN_HOST_BIN, else <repo>/build/temoin-host. */
export function hostBinaryPath() {
  return process.env.TEMOIN_HOST_BIN || path.join(REPO_ROOT, 'build', 'temoin-host');
}

/** Throws a clear error when the host binary is missing or not executable (tests must fail, not skip). */
export function requireHostBinary(bin = hostBinaryPath()) {
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    throw new Error(`temoin-host not found or not executable at ${bin}: build it (cmake --build build --target ` +
      'temoin-host) or set TEMOIN_HOST_BIN');
  }
  return bin;
}

/** A 4-byte little-endian length prefix. */
export function lengthPrefix(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

/** One frame: prefix + body. `body` is a Buffer, a string (UTF-8) or any other value (serialised as JSON). */
export function encodeFrame(body) {
  let bytes;
  if (Buffer.isBuffer(body)) bytes = body;
  else if (typeof body === 'string') bytes = Buffer.from(body, 'utf8');
  else bytes = Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.concat([lengthPrefix(bytes.length), bytes]);
}

/**
 * The bytes of a catalogue frame (tests/fixtures/bad_input/catalogue.json):
 *   {"json": value}                      the value serialised with JSON.stringify
 *   {"text": "..."}                      the text as UTF-8, as is
 *   {"base64": "..."}                    the decoded bytes
 *   {"length_only": N, "body_bytes": M}  a prefix saying N, then M bytes of spaces (a lying prefix when M < N)
 *   {"raw_base64": "..."}                the bytes as they are, prefix included (a short header, say)
 */
export function frameBytes(spec) {
  if ('json' in spec) return encodeFrame(Buffer.from(JSON.stringify(spec.json), 'utf8'));
  if ('text' in spec) return encodeFrame(Buffer.from(spec.text, 'utf8'));
  if ('base64' in spec) return encodeFrame(Buffer.from(spec.base64, 'base64'));
  if ('length_only' in spec) return Buffer.concat([lengthPrefix(spec.length_only), Buffer.alloc(spec.body_bytes, 0x20)]);
  if ('raw_base64' in spec) return Buffer.from(spec.raw_base64, 'base64');
  throw new Error(`unknown frame spec ${JSON.stringify(spec)}`);
}

/** Splits a byte stream into frame bodies. */
export class FrameDecoder {
  constructor() {
    this.buffer = Buffer.alloc(0);
  }

  /** Adds bytes; returns the complete frame bodies (Buffers) now available. */
  push(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames = [];
    while (this.buffer.length >= 4) {
      const n = this.buffer.readUInt32LE(0);
      if (this.buffer.length < 4 + n) break;
      frames.push(this.buffer.subarray(4, 4 + n));
      this.buffer = this.buffer.subarray(4 + n);
    }
    return frames;
  }

  /** Bytes received that do not (yet) make a frame. */
  get pending() {
    return this.buffer.length;
  }
}

/** A fresh temporary data folder (and a HOME around it, so that nothing lands in the real user's folders). */
export function makeTempHome(prefix = 'temoin-contract-') {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dataDir = path.join(home, 'data');
  fs.mkdirSync(dataDir, { mode: 0o700 });
  fs.mkdirSync(path.join(home, 'Downloads'));
  return { home, dataDir };
}

export class HostProcess {
  constructor(child, { home, dataDir, timeoutMs }) {
    this.child = child;
    this.home = home;
    this.dataDir = dataDir;
    this.timeoutMs = timeoutMs;
    this.decoder = new FrameDecoder();
    this.replies = []; // replies not yet taken
    this.waiters = []; // resolvers waiting for a reply
    this.pushes = []; // alert pushes, in arrival order
    this.frames = []; // every frame written by the host, as parsed JSON (or {unparsable: Buffer})
    this.stderr = '';
    this.exited = null; // {code, signal} once the process is gone
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        for (const w of this.waiters.splice(0)) w.reject(this._error('the host exited before replying'));
        resolve(this.exited);
      });
    });
    child.stdout.on('data', (chunk) => {
      for (const body of this.decoder.push(chunk)) this._onFrame(body);
    });
    child.stderr.on('data', (chunk) => {
      if (this.stderr.length < 1 << 20) this.stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {}); // EPIPE after the host exits: the exit is what the tests look at
  }

  _error(message) {
    const tail = this.stderr.split('\n').slice(-15).join('\n');
    return new Error(`${message} (exit: ${JSON.stringify(this.exited)}; stderr tail:\n${tail})`);
  }

  _onFrame(body) {
    let message;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      message = { unparsable: body };
    }
    if (message && typeof message === 'object') {
      Object.defineProperty(message, '__bytes', { value: body.length, enumerable: false });
    }
    this.frames.push(message);
    if (message && typeof message === 'object' && 'type' in message && !('re' in message)) {
      this.pushes.push(message);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(message);
    else this.replies.push(message);
  }

  /** Writes bytes as they are. Resolves once they are handed to the pipe. */
  sendRaw(bytes) {
    return new Promise((resolve) => {
      if (this.child.stdin.destroyed || this.child.stdin.writableEnded) return resolve(false);
      this.child.stdin.write(bytes, () => resolve(true));
    });
  }

  /** Writes one message as a frame (an object is serialised as JSON). */
  send(message) {
    return this.sendRaw(encodeFrame(message));
  }

  /** The next reply in order (pushes are set aside). */
  nextReply(timeoutMs = this.timeoutMs) {
    if (this.replies.length) return Promise.resolve(this.replies.shift());
    if (this.exited) return Promise.reject(this._error('the host has exited'));
    return new Promise((resolve, reject) => {
      const waiter = {};
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(this._error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter.resolve = (m) => { clearTimeout(timer); resolve(m); };
      waiter.reject = (e) => { clearTimeout(timer); reject(e); };
      this.waiters.push(waiter);
    });
  }

  /** Sends one message and waits for its reply (the caller keeps one request in flight at a time). */
  async request(message, timeoutMs = this.timeoutMs) {
    await this.send(message);
    return this.nextReply(timeoutMs);
  }

  /** Sends raw bytes and waits for the one reply they should draw. */
  async requestRaw(bytes, timeoutMs = this.timeoutMs) {
    await this.sendRaw(bytes);
    return this.nextReply(timeoutMs);
  }

  /** Waits for the process to end, at most `timeoutMs`; rejects (and kills it) if it does not. */
  waitExit(timeoutMs = this.timeoutMs) {
    if (this.exited) return Promise.resolve(this.exited);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(this._error(`the host did not exit within ${timeoutMs} ms`));
      }, timeoutMs);
      this.exitPromise.then((e) => { clearTimeout(timer); resolve(e); });
    });
  }

  /** Ends standard input (the browser closing the port) and waits for the exit. */
  async close(timeoutMs = this.timeoutMs) {
    if (!this.exited) this.child.stdin.end();
    return this.waitExit(timeoutMs);
  }

  /** Kills the process if it still runs, waits for it, and removes the temporary folder unless told to keep it. */
  async dispose({ keep = false } = {}) {
    if (!this.exited) {
      this.child.kill('SIGKILL');
      await this.exitPromise;
    }
    if (!keep && this.home) fs.rmSync(this.home, { recursive: true, force: true });
  }
}

/**
 * Starts temoin-host with a fresh temporary TEMOIN_DATA_DIR (or the one given), no caller argument (the local
 * user), HOME and XDG folders inside the temporary folder.
 */
export function startHost({ bin = hostBinaryPath(), dataDir, home, args = [], env = {}, timeoutMs = 10000 } = {}) {
  requireHostBinary(bin);
  if (!dataDir) ({ home, dataDir } = makeTempHome());
  home = home || path.dirname(dataDir);
  const child = spawn(bin, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      TZ: process.env.TZ || 'UTC',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_STATE_HOME: path.join(home, '.local', 'state'),
      XDG_DOWNLOAD_DIR: path.join(home, 'Downloads'),
      TEMOIN_DATA_DIR: dataDir,
      ...env,
    },
  });
  return new HostProcess(child, { home, dataDir, timeoutMs });
}
