// A throw-away TLS certificate for the fixture server, made at test time with openssl (no network): one
// self-signed certificate whose subjectAltName lists every platform host name the fixtures are served under.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let cached = null;

/** {key, cert, dir} for the given host names; made once per test process. */
export function throwAwayCertificate(hostNames) {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-e2e-cert-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  const san = ['IP:127.0.0.1', 'DNS:localhost', ...hostNames.map((h) => `DNS:${h}`)].join(',');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-keyout', keyFile, '-out', certFile, '-subj', '/CN=Temoin e2e fixture server',
      '-addext', `subjectAltName=${san}`, '-addext', 'basicConstraints=critical,CA:FALSE',
      '-addext', 'extendedKeyUsage=serverAuth'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`openssl could not make the fixture certificate (is openssl installed?): ${e.stderr || e.message}`);
  }
  cached = { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), dir, certFile, keyFile };
  return cached;
}
