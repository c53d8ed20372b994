// Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, with the extension installed as a temporary
// add-on, a fixed moz-extension UUID, and the platform host names resolved to 127.0.0.1.
//
// Verified here (docs/testing-e2e.md): `network.dns.localDomains` (a comma-separated list of names Firefox
// resolves to the loopback address without asking DNS) and the BiDi session capability `acceptInsecureCerts`
// (puppeteer's launch option of that name) are enough: without the pref, navigation fails with
// NS_ERROR_UNKNOWN_HOST; without the capability, with MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT.
import fs from 'node:fs';
import puppeteer from 'puppeteer-core';
import { EXTENSION_DIR, FIREFOX_ADDON_ID, FIREFOX_EXTENSION_UUID, firefoxBin, popupPath } from './env.js';

export function firefoxPrefs(hosts) {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
    'network.dns.localDomains': hosts.join(','),
    // Quiet, closed network: no telemetry, updates, safe-browsing lists or captive-portal probes.
    'app.update.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'browser.shell.checkDefaultBrowser': false,
    // Notifications from an extension must not wait for a permission prompt.
    'alerts.useSystemBackend': false,
  };
}

/** Returns {browser, base, popupUrl(), openPopup(), close()}. env must carry HOME (the host manifest's home). */
export async function launchFirefox({ env, hosts }) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxBin(),
    headless: true,
    acceptInsecureCerts: true,
    args: ['--remote-allow-system-access'],
    env,
    extraPrefsFirefox: firefoxPrefs(hosts),
    protocolTimeout: 30000,
    defaultViewport: { width: 420, height: 720 },
  });
  const base = `moz-extension://${FIREFOX_EXTENSION_UUID}/`;
  let addonId;
  try {
    addonId = await browser.installExtension(EXTENSION_DIR);
  } catch (e) {
    await browser.close().catch(() => {});
    throw new Error(`Firefox refused the temporary add-on: ${e.message}`);
  }
  if (addonId !== FIREFOX_ADDON_ID) {
    await browser.close().catch(() => {});
    throw new Error(`the add-on was installed as ${addonId}, not ${FIREFOX_ADDON_ID}`);
  }
  return {
    browser,
    base,
    popupUrl: () => base + popupPath(),
    /**
     * Opens an extension page. Over BiDi the navigation to a moz-extension: URL never reports its end, so it is
     * not awaited: the caller waits for a selector in the page instead.
     */
    async openExtensionPage(rel) {
      const page = await browser.newPage();
      page.goto(base + rel).catch(() => {});
      return page;
    },
    async openPopup(query = '') {
      return this.openExtensionPage(popupPath() + query);
    },
    async close() { await browser.close().catch(() => {}); },
  };
}

export function ensureDir(d) { fs.mkdirSync(d, { recursive: true }); return d; }
