// The link to temoin-host: one native port, requests answered in order, the queue pumped through it.
// No browser API is used directly: the background passes `connect()` (→ a port-like object) and timers, so
// node tests drive it with a stub port.

export const HOST_NAME = 'org.temoin.host';
export const EXPECTED_SCHEMA = 5;
export const EXPECTED_VERSION_MAJOR_MINOR = '0.1';

// Errors after which the event is kept and sent again later. `forbidden` is a fault of the installation (the
// caller is not allowed), not of the event: the events wait until the allow-list is fixed.
const KEEP = new Set(['storage', 'forbidden']);

export function classifyDisconnect(message) {
  const m = String(message || '');
  if (/not found|No such native application|not registered|manifest/i.test(m)) return 'not_installed';
  if (/forbidden|not allowed/i.test(m)) return 'forbidden';
  return 'disconnected';
}

export class HostLink {
  /**
   * @param {object} o
   *   connect(): a port {postMessage, onMessage.addListener, onDisconnect.addListener, disconnect, error?}
   *   lastError(port): the disconnect's message (Chrome: runtime.lastError, Firefox: port.error)
   *   queue: a Queue (lib/queue.js)
   *   onAlert(alert), onState(state): callbacks
   *   newId(): request ids for queries
   *   window: how many events may be in flight at once
   *   timeoutMs: a request unanswered that long means the host is stuck: the port is dropped
   */
  constructor(o) {
    this.connectFn = o.connect;
    this.lastError = o.lastError || ((port) => port && port.error && port.error.message);
    this.queue = o.queue;
    this.onAlert = o.onAlert || (() => {});
    this.onState = o.onState || (() => {});
    this.newId = o.newId || (() => `q-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`);
    this.window = o.window || 16;
    this.timeoutMs = o.timeoutMs || 30000;
    this.setTimer = o.setTimeout || globalThis.setTimeout.bind(globalThis);
    this.clearTimer = o.clearTimeout || globalThis.clearTimeout.bind(globalThis);
    this.now = o.now || (() => Date.now());
    this.port = null;
    this.pending = []; // FIFO of {id, kind: 'event'|'request', resolve, reject, sent_at}
    this.inFlight = new Set();
    this.pumping = false;
    this.holdUntil = 0; // after a `storage` answer, wait before sending more events
    this.state = { connection: 'idle', error: null, host_version: null, host_schema: null, mismatch: false,
      last_ack_at: null, last_problem: null, failures: 0 };
  }

  setState(patch) {
    Object.assign(this.state, patch);
    this.onState({ ...this.state });
  }

  get connected() { return this.port !== null && this.state.connection === 'connected'; }

  // Open the port (if not open) and check the host with ping. Concurrent callers share one attempt.
  connect() {
    if (this.connecting) return this.connecting;
    if (this.port) return Promise.resolve(this.state.connection === 'connected');
    this.connecting = this.openAndPing().finally(() => { this.connecting = null; });
    return this.connecting;
  }

  async openAndPing() {
    let port;
    try {
      port = this.connectFn();
    } catch (e) {
      this.setState({ connection: classifyDisconnect(e && e.message), error: String(e && e.message || e),
        failures: this.state.failures + 1 });
      return false;
    }
    this.port = port;
    this.setState({ connection: 'connecting', error: null });
    port.onMessage.addListener((msg) => this.onMessage(msg));
    port.onDisconnect.addListener((p) => this.onDisconnect(p || port));
    try {
      const pong = await this.request({ type: 'ping' }, { allowWhileConnecting: true });
      if (!pong.ok) {
        const code = pong.error && pong.error.code;
        this.setState({ connection: code === 'forbidden' ? 'forbidden' : 'error', error: pong.error && pong.error.message });
        return false;
      }
      const mismatch = pong.schema !== EXPECTED_SCHEMA ||
        !String(pong.version || '').startsWith(EXPECTED_VERSION_MAJOR_MINOR + '.');
      this.setState({ connection: 'connected', host_version: pong.version, host_schema: pong.schema, mismatch,
        failures: 0 });
      this.pump();
      return true;
    } catch (e) {
      return false;
    }
  }

  onDisconnect(port) {
    if (port !== this.port && this.port !== null) return;
    const message = this.lastError(port) || 'the host exited';
    this.port = null;
    const waiting = this.pending;
    this.pending = [];
    this.inFlight.clear();
    for (const p of waiting) {
      this.clearTimer(p.timer);
      if (p.kind === 'request') p.reject(Object.assign(new Error(message), { code: 'host_unavailable' }));
    }
    this.setState({ connection: classifyDisconnect(message), error: message, failures: this.state.failures + 1 });
  }

  disconnect(reason) {
    const port = this.port;
    if (!port) return;
    try { port.disconnect(); } catch { /* already gone */ }
    // disconnect() does not fire our own onDisconnect: do its work.
    const saved = this.lastError;
    this.lastError = () => reason;
    this.onDisconnect(port);
    this.lastError = saved;
  }

  post(msg) {
    this.port.postMessage(msg);
  }

  // A query or command for the host (ping, query.*, alert.ack, config.*, export). Resolves with the reply
  // (ok or not); rejects when the host is not reachable.
  request(body, opts = {}) {
    if (!this.port || (this.state.connection !== 'connected' && !opts.allowWhileConnecting)) {
      return Promise.reject(Object.assign(new Error(this.state.error || 'host not connected'),
        { code: 'host_unavailable' }));
    }
    const id = body.id || this.newId();
    const msg = { v: 1, ...body, id };
    return new Promise((resolve, reject) => {
      const entry = { id, kind: 'request', resolve, reject, sent_at: this.now() };
      this.track(entry);
      try { this.post(msg); } catch (e) { this.untrack(entry); reject(e); }
    });
  }

  track(entry) {
    entry.timer = this.setTimer(() => this.onTimeout(entry), this.timeoutMs);
    this.pending.push(entry);
  }

  untrack(entry) {
    this.clearTimer(entry.timer);
    const i = this.pending.indexOf(entry);
    if (i >= 0) this.pending.splice(i, 1);
  }

  onTimeout(entry) {
    if (!this.pending.includes(entry)) return;
    // The host does not answer: events stay queued; the port is dropped and opened again later.
    this.setState({ last_problem: 'silent' });
    this.disconnect('the host did not answer in time');
  }

  async onMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'alert' && !('re' in msg)) { this.onAlert(msg.alert); return; }
    if (!('re' in msg)) return;
    // Replies come in request order: a reply whose `re` is null (an id the host could not read) belongs to the
    // oldest unanswered request.
    let entry;
    if (msg.re === null) entry = this.pending[0];
    else entry = this.pending.find((p) => p.id === msg.re);
    if (!entry) return;
    this.untrack(entry);
    if (entry.kind === 'request') { entry.resolve(msg); return; }
    // The id stays in flight until the queue has recorded the answer, so a pump meanwhile does not send it again.
    try {
      if (msg.ok) {
        await this.queue.ack(entry.id);
        this.state.last_ack_at = this.now();
      } else {
        const err = { code: (msg.error && msg.error.code) || 'unknown', message: (msg.error && msg.error.message) || '',
          ...(msg.error && msg.error.field ? { field: msg.error.field } : {}) };
        if (KEEP.has(err.code)) {
          await this.queue.noteAttempt(entry.id, err);
          this.holdUntil = this.now() + 30000;
          this.setState({ last_problem: err.code, error: err.message });
        } else {
          await this.queue.reject(entry.id, err);
          this.setState({ last_problem: 'rejected' });
        }
      }
    } finally {
      this.inFlight.delete(entry.id);
      this.pump();
    }
  }

  // Send the oldest waiting events, at most `window` at once, in queue order.
  async pump() {
    if (this.pumping) { this.pumpAgain = true; return; }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        if (!this.connected || this.now() < this.holdUntil) return;
        const room = this.window - this.inFlight.size;
        if (room <= 0) return;
        const rows = await this.queue.peek(this.window + this.inFlight.size);
        for (const row of rows) {
          if (this.inFlight.size >= this.window || !this.connected) break;
          if (this.inFlight.has(row.id)) continue;
          this.inFlight.add(row.id);
          const entry = { id: row.id, kind: 'event', sent_at: this.now() };
          this.track(entry);
          try { this.post(row.event); } catch { this.untrack(entry); this.inFlight.delete(row.id); break; }
        }
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  // Called by the alarms (force) and whenever an event is queued: reconnect when down (events do not retry a
  // failing host faster than the backoff), resume after a hold.
  // The state once no connection attempt is under way. Several callers (the popup's parallel questions, a
  // page's events, the retry timer) may start attempts one after another; a snapshot taken mid-attempt would
  // say "connecting" even though every attempt ends "not installed", and the popup draws it only once.
  async settledState() {
    while (this.connecting) {
      try { await this.connecting; } catch { /* the state says why */ }
    }
    return { ...this.state };
  }

  async tick(force = true) {
    if (this.connecting) return this.connecting;
    if (!this.port) {
      const wait = this.state.failures > 0 ? backoffMinutes(this.state.failures) * 60000 : 0;
      if (!force && this.lastAttemptAt !== undefined && this.now() - this.lastAttemptAt < wait) return false;
      this.lastAttemptAt = this.now();
      return this.connect();
    }
    if (this.connected) await this.pump();
    return this.connected;
  }
}

// Reconnection delay in minutes (alarms), doubling from 0.5 to 5.
export function backoffMinutes(failures) {
  return Math.min(5, 0.5 * 2 ** Math.max(0, Math.min(failures - 1, 4)));
}
