// The persistent event queue, in IndexedDB (one database per extension origin, shared by the background and
// the pages). Every write is one IndexedDB transaction, so two writers never lose each other's events.
//
//  queue    : events waiting for the host's acknowledgement, in observation order (autoIncrement key `n`),
//             unique index on the event id (the same observation queued twice is stored once).
//  rejected : events the host refused for good, with the host's error; never deleted except by the user.
//  kv       : small state (last account per platform, what a page showed last…).

export const DB_NAME = 'temoin';
const DB_VERSION = 1;

function req(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
    tx.onerror = () => reject(tx.error);
  });
}

export async function openQueue(idb = globalThis.indexedDB, name = DB_NAME) {
  const open = idb.open(name, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('queue')) {
      const q = db.createObjectStore('queue', { keyPath: 'n', autoIncrement: true });
      q.createIndex('id', 'id', { unique: true });
    }
    if (!db.objectStoreNames.contains('rejected')) db.createObjectStore('rejected', { keyPath: 'id' });
    if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
  };
  const db = await req(open);
  return new Queue(db);
}

export class Queue {
  constructor(db) { this.db = db; }

  close() { this.db.close(); }

  // Store an event. Returns true when stored, false when an event with that id is already queued or rejected.
  async enqueue(event, now = Date.now()) {
    const tx = this.db.transaction(['queue', 'rejected'], 'readwrite');
    const q = tx.objectStore('queue');
    const finished = done(tx);
    const [inQueue, inRejected] = await Promise.all([
      req(q.index('id').getKey(event.id)), req(tx.objectStore('rejected').getKey(event.id)),
    ]);
    if (inQueue !== undefined || inRejected !== undefined) { await finished; return false; }
    q.add({ id: event.id, event, queued_at: now, attempts: 0 });
    await finished;
    return true;
  }

  // The oldest `limit` waiting events, in order.
  async peek(limit = 50) {
    const tx = this.db.transaction('queue', 'readonly');
    const rows = await req(tx.objectStore('queue').getAll(null, limit));
    return rows;
  }

  async count() {
    const tx = this.db.transaction('queue', 'readonly');
    return req(tx.objectStore('queue').count());
  }

  async oldest() {
    const rows = await this.peek(1);
    return rows[0] || null;
  }

  // The host acknowledged it (ok or duplicate): it leaves the queue.
  async ack(id) {
    const tx = this.db.transaction('queue', 'readwrite');
    const finished = done(tx);
    const store = tx.objectStore('queue');
    const key = await req(store.index('id').getKey(id));
    if (key !== undefined) store.delete(key);
    await finished;
    return key !== undefined;
  }

  // Note a failed attempt (kept in the queue).
  async noteAttempt(id, error) {
    const tx = this.db.transaction('queue', 'readwrite');
    const finished = done(tx);
    const store = tx.objectStore('queue');
    const row = await req(store.index('id').get(id));
    if (row) { row.attempts += 1; row.last_error = error || null; store.put(row); }
    await finished;
  }

  // The host refused it for good: moved, in one transaction, to the rejected list with the host's error.
  async reject(id, error, now = Date.now()) {
    const tx = this.db.transaction(['queue', 'rejected'], 'readwrite');
    const finished = done(tx);
    const store = tx.objectStore('queue');
    const row = await req(store.index('id').get(id));
    if (row) {
      store.delete(row.n);
      tx.objectStore('rejected').put({ id, event: row.event, error, rejected_at: now, queued_at: row.queued_at });
    }
    await finished;
    return !!row;
  }

  async rejected() {
    const tx = this.db.transaction('rejected', 'readonly');
    const rows = await req(tx.objectStore('rejected').getAll());
    return rows.sort((a, b) => a.rejected_at - b.rejected_at);
  }

  // The user asks to send a rejected event again: back at the end of the queue, same id.
  async retryRejected(id, now = Date.now()) {
    const tx = this.db.transaction(['queue', 'rejected'], 'readwrite');
    const finished = done(tx);
    const rej = tx.objectStore('rejected');
    const row = await req(rej.get(id));
    if (row) {
      rej.delete(id);
      tx.objectStore('queue').add({ id, event: row.event, queued_at: now, attempts: 0 });
    }
    await finished;
    return !!row;
  }

  async get(key) {
    const tx = this.db.transaction('kv', 'readonly');
    return req(tx.objectStore('kv').get(key));
  }

  async set(key, value) {
    const tx = this.db.transaction('kv', 'readwrite');
    const finished = done(tx);
    tx.objectStore('kv').put(value, key);
    await finished;
  }
}
