// Shared test helpers: the contract's JSON Schemas (schema/messages) to check what the extension builds.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let validator;
export function validateRequest(msg) {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const dir = join(ROOT, 'schema', 'messages');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    }
    validator = ajv.getSchema('https://schemas.temoin.invalid/messages/v1/request.schema.json');
  }
  const ok = validator(msg);
  return ok ? null : validator.errors;
}
