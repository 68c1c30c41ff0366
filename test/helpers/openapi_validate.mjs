// Validates the OpenAPI document read from stdin with @seriousme/openapi-schema-validator
// (an ESM-only package, so it runs here rather than inside jest) and prints {valid, version, errors}.
import { Validator } from '@seriousme/openapi-schema-validator';

let text = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) text += chunk;
const validator = new Validator();
const result = await validator.validate(JSON.parse(text));
process.stdout.write(JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors ?? null }));
