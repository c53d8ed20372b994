// Where things are, for the end-to-end suite: the repository, the extension, the binaries under test, the
// browsers, and the extension's fixed ids. Everything the tests need from outside is named here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const EXTENSION_DIR = process.env.TEMOIN_E2E_EXTENSION_DIR || path.join(REPO_ROOT, 'extension');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'tests', 'fixtures', 'platforms');
export const OUT_ROOT = path.join(REPO_ROOT, 'tests', 'out');
export const SCREENSHOTS_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');

export const HOST_NAME = 'org.temoin.host';
// Pinned by the `key` of extension/manifest.json (checked in chromium.js against the worker's URL).
export const CHROMIUM_EXTENSION_ID = 'njlmbnpbbehaamffgjmlgepdcagbgden';
// browser_specific_settings.gecko.id, and the moz-extension UUID the tests pin with a pref.
export const FIREFOX_ADDON_ID = 'temoin@temoin.org';
export const FIREFOX_EXTENSION_UUID = '7e3c1f52-8a0d-4b6e-9c41-2f5d8e7a9b13';

export const CHROMIUM_BIN = process.env.TEMOIN_CHROMIUM_BIN || '/usr/bin/chromium';
export const FIREFOX_BIN = process.env.TEMOIN_FIREFOX_BIN || '/usr/bin/firefox-esr';

function requireExecutable(file, what, how) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new Error(`${what} not found or not executable at ${file}: ${how}`);
  }
  return file;
}

/** temoin-host under test: $TEMOIN_HOST_BIN, else build/temoin-host. Throws a clear error when missing. */
export function hostBin() {
  return requireExecutable(process.env.TEMOIN_HOST_BIN || path.join(REPO_ROOT, 'build', 'temoin-host'),
    'temoin-host (TEMOIN_HOST_BIN)', 'build it (cmake --build build --target temoin-host) or set TEMOIN_HOST_BIN');
}

/** The temoin CLI under test: $TEMOIN_CLI_BIN, else build/temoin. Throws a clear error when missing. */
export function cliBin() {
  return requireExecutable(process.env.TEMOIN_CLI_BIN || path.join(REPO_ROOT, 'build', 'temoin'),
    'temoin CLI (TEMOIN_CLI_BIN)', 'build it (cmake --build build --target temoin) or set TEMOIN_CLI_BIN');
}

export function chromiumBin() {
  return requireExecutable(CHROMIUM_BIN, 'Chromium', 'apt-get install -y chromium (or set TEMOIN_CHROMIUM_BIN)');
}

export function firefoxBin() {
  return requireExecutable(FIREFOX_BIN, 'Firefox ESR', 'apt-get install -y firefox-esr (or set TEMOIN_FIREFOX_BIN)');
}

/** The extension's manifest, read fresh (other engineers change it while the suite is written). */
export function extensionManifest() {
  const file = path.join(EXTENSION_DIR, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`no extension manifest at ${file}`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The popup's path inside the extension, from action.default_popup (e.g. "popup/popup.html"). */
export function popupPath() {
  const m = extensionManifest();
  const p = (m.action && m.action.default_popup) || (m.browser_action && m.browser_action.default_popup);
  if (!p) throw new Error('extension/manifest.json has no action.default_popup: the popup is not there yet');
  return p.replace(/^\/+/, '');
}

/** The options page's path, from options_ui.page or options_page, or null. */
export function optionsPath() {
  const m = extensionManifest();
  const p = (m.options_ui && m.options_ui.page) || m.options_page;
  return p ? p.replace(/^\/+/, '') : null;
}
