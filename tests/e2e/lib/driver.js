// What the scenarios do in a browser, the same way in Chromium (playwright-core) and Firefox (puppeteer-core):
// open a platform page, click on it, open the popup, read its text, look inside the extension (its queue, its
// badge, its notifications). Only the subset both page APIs share is used.
import { waitFor } from './temoin.js';

// Runs in an extension context (Chromium's service worker, or a Firefox extension page): the extension's
// IndexedDB queue (extension/lib/queue.js: database "temoin", stores "queue" and "rejected").
const READ_QUEUE = async () => {
  const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes('temoin')) return { missing: true, names, queue: [], rejected: [] };
  const db = await req(indexedDB.open('temoin'));
  const read = async (store) => {
    if (!db.objectStoreNames.contains(store)) return null;
    return req(db.transaction(store, 'readonly').objectStore(store).getAll());
  };
  const queue = await read('queue');
  const rejected = await read('rejected');
  db.close();
  return { missing: false, names, queue: (queue || []).sort((a, b) => a.n - b.n), rejected: rejected || [] };
};

const READ_BADGE = async () => {
  const api = globalThis.browser || globalThis.chrome;
  const action = api.action || api.browserAction;
  const text = await action.getBadgeText({});
  let color = null;
  try { color = await action.getBadgeBackgroundColor({}); } catch { /* not in every browser */ }
  return { text, color };
};

const READ_NOTIFICATIONS = async () => {
  const api = globalThis.browser || globalThis.chrome;
  const all = await api.notifications.getAll();
  return Object.keys(all || {});
};

export class Driver {
  /** @param {object} b what launchChromium / launchFirefox returned; @param {Scenario} s */
  constructor(b, s) {
    this.b = b;
    this.s = s;
    this.kind = b.kind;
    this.dialogs = [];
  }

  watch(page, label) {
    page.on('dialog', (d) => {
      this.dialogs.push({ page: label, type: d.type(), message: d.message() });
      d.dismiss().catch(() => {});
    });
    return page;
  }

  async newPage(label = 'page') {
    const page = this.kind === 'chromium' ? await this.b.context.newPage() : await this.b.browser.newPage();
    return this.watch(page, label);
  }

  /** Opens url in `page` (a new page when none) and waits for its load event. */
  async visit(url, page) {
    const p = page || await this.newPage(url);
    await p.goto(url, { waitUntil: 'load', timeout: 20000 });
    return p;
  }

  async click(page, selector) {
    await page.click(selector);
  }

  /** Opens the popup as a page; waits until its body has text. */
  async openPopup(query = '') {
    const page = this.watch(await this.b.openPopup(query), 'popup');
    await waitFor(async () => (await this.text(page)).trim().length > 0,
      { timeoutMs: 15000, message: `the popup (${this.b.popupUrl()}) to render text` });
    return page;
  }

  async text(page) {
    // A popup showing its snapshot while the live figures load (extension/popup/snapshot.js) has not answered
    // yet: its text must not satisfy a wait for what the host says now. Once done loading (aria-busy="false"),
    // a snapshot still on screen means the host could not answer, which a test may wait for.
    return page.evaluate(() => (!document.body || document.querySelector('#dash[data-source="snapshot"][aria-busy="true"]')
      ? '' : document.body.innerText));
  }

  /** Waits until the page's text matches `re` (a RegExp), reloading the popup page between tries if asked. */
  async waitForText(page, re, { timeoutMs = 15000, message } = {}) {
    let last = '';
    try {
      return await waitFor(async () => {
        last = await this.text(page);
        return re.test(last) ? last : null;
      }, { timeoutMs, message: message || `text ${re}` });
    } catch (e) {
      e.message += `\n--- the page's text was:\n${last.slice(0, 3000)}`;
      throw e;
    }
  }

  /** Runs fn in an extension context: Chromium's service worker; in Firefox, an extension page. */
  async inExtension(fn) {
    if (this.kind === 'chromium') {
      const w = this.b.currentWorker();
      return w.evaluate(fn);
    }
    if (!this.extPage || this.extPage.isClosed()) {
      this.extPage = await this.b.openPopup();
      await waitFor(async () => {
        try { return await this.extPage.evaluate(() => location.protocol === 'moz-extension:' && document.readyState === 'complete'); } catch { return false; }
      }, { timeoutMs: 15000, message: 'a Firefox extension page to load' });
    }
    return this.extPage.evaluate(fn);
  }

  queue() { return this.inExtension(READ_QUEUE); }
  badge() { return this.inExtension(READ_BADGE); }
  notifications() { return this.inExtension(READ_NOTIFICATIONS); }
}
