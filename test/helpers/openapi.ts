/** OpenAPI checks for tests: the document validated by an OpenAPI validator package. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs @seriousme/openapi-schema-validator on a document (in a child process: the package is ESM only). */
export function validateOpenApi(doc: unknown): { valid: boolean; version: string; errors: unknown } {
  const out = execFileSync(process.execPath, [join(__dirname, 'openapi_validate.mjs')], { input: JSON.stringify(doc) });
  return JSON.parse(out.toString());
}
