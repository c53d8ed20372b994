// The fixture platforms: one HTTPS server on 127.0.0.1 that answers for every platform's real host name (the
// browser is told to resolve those names to 127.0.0.1) and serves tests/fixtures/platforms/<platform>/.
//
//   const server = await startFixtureServer();
//   server.route('app.dataannotation.tech', '/workers/projects', { file: 'dataannotation/dashboard.html' });
//   page.goto(server.url('app.dataannotation.tech', '/workers/projects'));
//
// A route is {file} (relative to tests/fixtures/platforms), {html}, or either with `transform(html)` (to make a
// fixture show another amount), plus optional `status` and `headers`. Routes can be changed during a test (the
// same URL showing a balance, then a locked page). Without a route, /<path> is served from the host's platform
// folder as it is. Every request is logged in server.requests.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { FIXTURES_DIR, extensionManifest } from './env.js';
import { throwAwayCertificate } from './certs.js';

// Real host names → the fixture folder of that platform.
export const PLATFORM_HOSTS = {
  'app.dataannotation.tech': 'dataannotation',
  'www.dataannotation.tech': 'dataannotation',
  'app.prolific.com': 'prolific',
  'worker.mturk.com': 'mturk',
  'www.mturk.com': 'mturk',
  'app.outlier.ai': 'outlier',
  'toloka.ai': 'toloka',
  'platform.toloka.ai': 'toloka',
  'toloka.yandex.com': 'toloka',
};

/** Every platform host name: the table above plus any literal host the extension's manifest asks for. */
export function platformHostNames() {
  const names = new Set(Object.keys(PLATFORM_HOSTS));
  try {
    const m = extensionManifest();
    const patterns = [...(m.host_permissions || []), ...(m.optional_host_permissions || []),
      ...((m.content_scripts || []).flatMap((c) => c.matches || []))];
    for (const p of patterns) {
      const host = /^(?:\*|https?):\/\/([^/:]+)/.exec(p);
      if (host && !host[1].includes('*') && host[1] !== '127.0.0.1' && host[1] !== 'localhost') names.add(host[1]);
    }
  } catch { /* no manifest yet: the table is enough */ }
  return [...names].sort();
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8' };

function platformDirFor(host) {
  if (PLATFORM_HOSTS[host]) return PLATFORM_HOSTS[host];
  for (const [h, dir] of Object.entries(PLATFORM_HOSTS)) if (host.endsWith('.' + h)) return dir;
  return null;
}

function readFixture(rel) {
  const file = path.resolve(FIXTURES_DIR, rel);
  if (!file.startsWith(FIXTURES_DIR + path.sep)) throw new Error(`fixture path escapes the fixtures: ${rel}`);
  if (!fs.existsSync(file)) throw new Error(`fixture page missing: tests/fixtures/platforms/${rel}`);
  return fs.readFileSync(file);
}

export async function startFixtureServer() {
  const hosts = platformHostNames();
  const { key, cert } = throwAwayCertificate(hosts);
  const routes = new Map();
  const requests = [];
  const errors = [];

  const handler = (req, res) => {
    const hostHeader = String(req.headers.host || '').replace(/:\d+$/, '').toLowerCase();
    const u = new URL(req.url, 'https://x');
    requests.push({ host: hostHeader, path: u.pathname, search: u.search, method: req.method, at: Date.now() });
    let route = routes.get(`${hostHeader}${u.pathname}`);
    try {
      let body;
      let type = 'text/html; charset=utf-8';
      let status = 200;
      let headers = {};
      if (typeof route === 'function') route = route(req, u);
      if (route) {
        if (route.file) {
          body = readFixture(route.file);
          type = TYPES[path.extname(route.file)] || 'application/octet-stream';
        } else if (route.html !== undefined) {
          body = Buffer.from(route.html, 'utf8');
        } else if (route.json !== undefined) {
          body = Buffer.from(JSON.stringify(route.json), 'utf8');
          type = TYPES['.json'];
        }
        if (route.transform) body = Buffer.from(route.transform(body.toString('utf8')), 'utf8');
        if (route.type) type = route.type;
        status = route.status || 200;
        headers = route.headers || {};
      } else {
        const dir = platformDirFor(hostHeader);
        const rel = dir && path.join(dir, decodeURIComponent(u.pathname).replace(/\/$/, '/index.html'));
        const file = rel && path.resolve(FIXTURES_DIR, rel);
        if (hostHeader === '127.0.0.1' && u.pathname === '/idle') {
          body = Buffer.from('<!doctype html><title>idle</title><p>Not a platform page.</p>');
        } else if (file && file.startsWith(FIXTURES_DIR + path.sep) && fs.existsSync(file) &&
            fs.statSync(file).isFile()) {
          body = fs.readFileSync(file);
          type = TYPES[path.extname(file)] || 'application/octet-stream';
        } else {
          status = 404;
          body = Buffer.from(`<!doctype html><title>404</title><p>No fixture for ${hostHeader}${u.pathname}</p>`);
        }
      }
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      errors.push(e);
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(e.message));
    }
  };

  const server = https.createServer({ key, cert }, handler);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  return {
    port,
    hosts,
    requests,
    errors,
    url(host, p = '/') { return `https://${host}:${port}${p}`; },
    route(host, p, spec) { routes.set(`${host}${p}`, spec); },
    unroute(host, p) { routes.delete(`${host}${p}`); },
    requestsTo(host, p) { return requests.filter((r) => r.host === host && (!p || r.path === p)); },
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
