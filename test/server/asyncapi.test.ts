/** protocol/asyncapi.json is generated from the schemas and stays in step with them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncapiDocument } from '../../src/server/asyncapi';
import { PROTOCOL_DIR, protocol } from '../../src/server/protocol';

const doc = asyncapiDocument() as Record<string, any>;

test('the committed document is what the schemas generate (run `npm run asyncapi` after changing protocol/)', () => {
  expect(JSON.parse(readFileSync(join(PROTOCOL_DIR, 'asyncapi.json'), 'utf8'))).toEqual(doc);
});

test('every method is an operation with a reply, and every pushed frame is one the server sends', () => {
  for (const method of protocol().names()) {
    expect(doc.operations[method]).toMatchObject({ action: 'receive', reply: expect.any(Object) });
  }
  for (const frame of ['train.progress', 'train.done', 'train.error', 'evaluate.progress']) {
    expect(doc.operations[frame]).toMatchObject({ action: 'send' });
  }
});

test('every $ref points at something in the document', () => {
  const refs: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) (k === '$ref' ? refs.push(x as string) : walk(x));
    }
  };
  walk(doc);
  expect(refs.length).toBeGreaterThan(50);
  for (const ref of new Set(refs)) {
    const target = ref
      .slice(2)
      .split('/')
      .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    expect([ref, target !== undefined]).toEqual([ref, true]);
  }
});
