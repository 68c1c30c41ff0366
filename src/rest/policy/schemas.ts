/** The policy routes' schemas, read from `protocol/http/policy.json` (error replies from `protocol/http/errors.json`). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOL_DIR } from '../../server/protocol';
import type { JsonSchema } from './observation_schema';

/** The names `protocol/http/policy.json` defines. */
export type PolicySchemaName =
  | 'named_observation'
  | 'raw_observation'
  | 'action'
  | 'distribution'
  | 'schema_document'
  | 'model_params'
  | 'import_query'
  | 'import_body'
  | 'import_result';

let cached: Record<PolicySchemaName, JsonSchema> | null = null;

/** The definitions, read once. */
export function policySchemas(): Record<PolicySchemaName, JsonSchema> {
  cached ??= (JSON.parse(readFileSync(join(PROTOCOL_DIR, 'http', 'policy.json'), 'utf8')) as { definitions: Record<PolicySchemaName, JsonSchema> }).definitions;
  return cached;
}
