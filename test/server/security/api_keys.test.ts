/** API keys: where they travel, how they are checked, how key files are read, and that they stay out of logs. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  ApiKeyConfigError,
  KeyRing,
  LOCAL_USER,
  LOG_REDACT_PATHS,
  assertSafeBind,
  invalidCredentials,
  presentedKey,
  readKeyFile,
  redactUrl,
} from '../../../src/server/security/api_keys';

const dir = mkdtempSync(join(tmpdir(), 'palestra-keys-'));
function keyFile(content: unknown): string {
  const path = join(dir, `keys-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('presentedKey', () => {
  it('finds the key in the access_token header, a Bearer token, the query and the cookie', () => {
    expect(presentedKey({ headers: { access_token: 'k1' } })).toBe('k1');
    expect(presentedKey({ headers: { authorization: 'Bearer k2' } })).toBe('k2');
    expect(presentedKey({ headers: { authorization: 'bearer   k2b ' } })).toBe('k2b');
    expect(presentedKey({ url: '/v1/envs/?x=1&access_token=k3', headers: {} })).toBe('k3');
    expect(presentedKey({ url: '/?access_token=a%2Bb', headers: {} })).toBe('a+b');
    expect(presentedKey({ headers: { cookie: 'theme=dark; access_token=k4; other=1' } })).toBe('k4');
    expect(presentedKey({ headers: { cookie: 'access_token="k%205"' } })).toBe('k 5');
  });

  it('prefers the header to the query to the cookie, and ignores other schemes', () => {
    expect(presentedKey({ url: '/?access_token=q', headers: { access_token: 'h', cookie: 'access_token=c' } })).toBe('h');
    expect(presentedKey({ url: '/?access_token=q', headers: { cookie: 'access_token=c' } })).toBe('q');
    expect(presentedKey({ headers: { authorization: 'Basic dXNlcjpwYXNz' } })).toBeUndefined();
    expect(presentedKey({ url: '/?token=x', headers: { cookie: 'my_access_token=x' } })).toBeUndefined();
  });
});

describe('KeyRing', () => {
  it('without keys, every client is the one local user', () => {
    const ring = KeyRing.fromOptions({}, {});
    expect(ring.enabled).toBe(false);
    expect(ring.authenticate(undefined)).toBe(LOCAL_USER);
    expect(ring.authenticate('anything')).toBe(LOCAL_USER);
  });

  it('one key from --api-key or PALESTRA_API_KEY is one (admin) user', () => {
    const ring = KeyRing.fromOptions({}, { PALESTRA_API_KEY: 'secret-1' });
    expect(ring.enabled).toBe(true);
    expect(ring.authenticate('secret-1')).toEqual({ name: 'default', admin: true });
    expect(ring.authenticate('secret-2')).toBeNull();
    expect(ring.authenticate('secret-')).toBeNull();
    expect(ring.authenticate('')).toBeNull();
    expect(ring.authenticate(undefined)).toBeNull();
    // The option wins over the environment.
    expect(KeyRing.fromOptions({ apiKey: 'opt' }, { PALESTRA_API_KEY: 'env' }).authenticate('env')).toBeNull();
  });

  it('a key file names several users, admin or not', () => {
    const path = keyFile({ 'alice-key': { name: 'alice' }, 'bob-key': { name: 'bob', admin: false }, 'root-key': { name: 'ops', admin: true } });
    const ring = KeyRing.fromOptions({ apiKeysFile: path }, {});
    expect(ring.size).toBe(3);
    expect(ring.authenticate('alice-key')).toEqual({ name: 'alice', admin: false });
    expect(ring.authenticate('bob-key')).toEqual({ name: 'bob', admin: false });
    expect(ring.authenticate('root-key')).toEqual({ name: 'ops', admin: true });
    expect(ring.authenticate('carol-key')).toBeNull();
  });

  it('two keys with one name are one user (a key can be rotated)', () => {
    const ring = new KeyRing([
      ['old', { name: 'alice', admin: false }],
      ['new', { name: 'alice', admin: false }],
    ]);
    expect(ring.authenticate('old')?.name).toBe('alice');
    expect(ring.authenticate('new')?.name).toBe('alice');
  });
});

describe('readKeyFile', () => {
  it('refuses files it cannot use, without ever quoting a key', () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [['k'], /JSON object/],
      [{}, /holds no keys/],
      [{ 'sekrit-1': 'alice' }, /entry 1 .* must be an object/],
      [{ 'sekrit-1': { name: '' } }, /entry 1 .* non-empty "name"/],
      [{ ok: { name: 'a' }, 'sekrit-2': { name: 'b', admin: 'yes' } }, /"admin" of entry 2/],
    ];
    for (const [content, message] of cases) {
      let error: unknown;
      try {
        readKeyFile(keyFile(content));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiKeyConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/sekrit/);
    }
    expect(() => readKeyFile(join(dir, 'missing.json'))).toThrow(/Cannot read the API key file .*ENOENT/);
  });
});

describe('the refusal', () => {
  it('is 403 with the catalogue name invalid_credentials and Pathmind’s detail text', () => {
    const error = invalidCredentials();
    expect(error.errorName).toBe('invalid_credentials');
    expect(error.entry.http_status).toBe(403);
    expect(error.message).toBe('Could not validate credentials');
  });
});

describe('binding beyond loopback', () => {
  const none = new KeyRing();
  const some = new KeyRing([['k', { name: 'a', admin: false }]]);

  it('needs keys or --insecure', () => {
    expect(() => assertSafeBind('0.0.0.0', none, false)).toThrow(ApiKeyConfigError);
    expect(() => assertSafeBind('192.168.1.5', none, false)).toThrow(/--insecure/);
    expect(() => assertSafeBind('::', none, false)).toThrow(ApiKeyConfigError);
    expect(() => assertSafeBind('0.0.0.0', some, false)).not.toThrow();
    expect(() => assertSafeBind('0.0.0.0', none, true)).not.toThrow();
  });

  it('is free on loopback', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(() => assertSafeBind(host, none, false)).not.toThrow();
  });
});

describe('logs', () => {
  it('never carry a key: headers are redacted and URLs have the parameter blanked', () => {
    expect(redactUrl('/gym?access_token=s3cret&x=1')).toBe('/gym?access_token=[redacted]&x=1');
    expect(redactUrl('/a?x=1&ACCESS_TOKEN=s3cret')).toBe('/a?x=1&ACCESS_TOKEN=[redacted]');
    expect(redactUrl('/a?access%5Ftoken=s3cret')).toBe('/a?access%5Ftoken=[redacted]');
    expect(redactUrl('/v1/envs/')).toBe('/v1/envs/');
    expect(redactUrl('/v1/envs/?limit=3')).toBe('/v1/envs/?limit=3');
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: LOG_REDACT_PATHS }, sink);
    logger.info({ req: { url: redactUrl('/?access_token=s3cret'), headers: { authorization: 'Bearer s3cret', access_token: 's3cret', cookie: 'access_token=s3cret' } } }, 'request');
    logger.info({ headers: { authorization: 'Bearer s3cret' } }, 'upgrade');
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('s3cret');
  });
});
