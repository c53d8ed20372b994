// Issue 8, scenarios 1–3 in Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi. The extension is
// a temporary add-on with a fixed moz-extension UUID; the host manifest is written by the real
// `temoin install --browser firefox` into this test's $HOME/.mozilla/native-messaging-hosts.
import { e2eTest } from './lib/scenario.js';
import { Driver } from './lib/driver.js';
import { hostMissing, lockout, workersDay } from './lib/scenarios.js';

async function firefoxDriver(s, opts) {
  const b = await s.firefox(opts);
  return new Driver(b, s);
}

e2eTest('firefox: a worker\'s day', async (s) => {
  const d = await firefoxDriver(s);
  await workersDay(s, d);
});

e2eTest('firefox: the lockout', async (s) => {
  const d = await firefoxDriver(s);
  await lockout(s, d);
});

e2eTest('firefox: host missing, then installed', { timeout: 120000 }, async (s) => {
  const d = await firefoxDriver(s, { install: false });
  await hostMissing(s, d, () => s.temoin.installFirefox());
});
