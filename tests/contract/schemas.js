// Loads schema/messages/*.schema.json into one Ajv (draft 2020-12) so that relative $refs resolve, and hands out
// validators by file name. Used by the contract tests; usable from any node test.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCHEMA_DIR = path.join(REPO_ROOT, 'schema', 'messages');

let ajv = null;

/** The shared Ajv instance with every message schema added (strict mode, all errors). */
export function schemaSet() {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  addFormats(ajv);
  for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
    ajv.addSchema(schema, file);
  }
  return ajv;
}

/** The compiled validator of one file, e.g. validator('request.schema.json'). */
export function validator(file) {
  const set = schemaSet();
  const v = set.getSchema(file);
  if (!v) throw new Error(`no schema ${file} in ${SCHEMA_DIR}`);
  return v;
}

/** {valid, errors} for `value` against `file`. */
export function check(file, value) {
  const v = validator(file);
  const valid = v(value);
  return { valid, errors: valid ? [] : v.errors.slice() };
}

/** The reply schema for a request type: every event type shares reply.event, config.* share reply.config. */
export function replySchemaFor(requestType) {
  const EVENTS = ['task.start', 'task.submit', 'task.abandon', 'balance', 'balance.missing', 'payout',
    'account.status', 'heartbeat'];
  if (EVENTS.includes(requestType)) return 'reply.event.schema.json';
  if (requestType === 'config.get' || requestType === 'config.set') return 'reply.config.schema.json';
  return `reply.${requestType}.schema.json`;
}

/**
 * The fields Ajv blames, as the host names them ("rate.amount"): from the instance path, plus the property that is
 * missing (required) or not allowed (additionalProperties).
 */
export function blamedFields(errors) {
  const out = new Set();
  for (const e of errors) {
    const base = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (e.keyword === 'required') out.add([...base, e.params.missingProperty].join('.'));
    else if (e.keyword === 'additionalProperties') out.add([...base, e.params.additionalProperty].join('.'));
    else if (e.keyword === 'dependentRequired') out.add([...base, e.params.missingProperty].join('.'));
    else out.add(base.join('.'));
  }
  return out;
}
