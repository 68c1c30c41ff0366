/** Palestra's version, read from package.json so there is one place to bump it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VERSION: string = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version;
