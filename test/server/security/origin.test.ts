/** The Origin allow-list and the Host check, as a browser's requests meet them. */
import { OriginPolicy, isLoopbackHost, parseHostHeader } from '../../../src/server/security/origin';

const local = new OriginPolicy({ bindHost: '127.0.0.1', port: 5000 });

describe('Origin', () => {
  it('lets a client without Origin (Node, Python, curl) through', () => {
    expect(local.originAllowed(undefined)).toBe(true);
  });

  it('lets localhost pages on any port and either scheme through', () => {
    for (const origin of ['http://localhost:3000', 'https://localhost', 'http://127.0.0.1:8080', 'http://[::1]:5173', 'HTTP://LOCALHOST:9']) {
      expect([origin, local.originAllowed(origin)]).toEqual([origin, true]);
    }
  });

  it('refuses foreign origins, the opaque null origin and things that are not origins', () => {
    for (const origin of ['http://evil.example', 'https://localhost.evil.example', 'null', 'file://', 'chrome-extension://abc', 'not a url']) {
      expect([origin, local.originAllowed(origin)]).toEqual([origin, false]);
    }
  });

  it('allows the server’s own origin, the one its Host header names', () => {
    const lan = new OriginPolicy({ bindHost: '0.0.0.0', allowHosts: ['palestra.lan'] });
    expect(lan.originAllowed('http://palestra.lan:5000', 'palestra.lan:5000')).toBe(true);
    expect(lan.originAllowed('http://palestra.lan:5001', 'palestra.lan:5000')).toBe(false);
    expect(lan.originAllowed('https://palestra.lan', 'palestra.lan:443')).toBe(true);
    // A rebound name is refused as a host, so it cannot vouch for its own origin either.
    expect(lan.originAllowed('http://evil.example:5000', 'evil.example:5000')).toBe(false);
    const named = new OriginPolicy({ bindHost: 'gym.internal', port: 7000 });
    expect(named.originAllowed('http://gym.internal:7000')).toBe(true);
  });

  it('adds exact origins with --allow-origin, and * allows every origin', () => {
    const extra = new OriginPolicy({ bindHost: '127.0.0.1', allowOrigins: ['https://app.example:8443', 'null'] });
    expect(extra.originAllowed('https://app.example:8443')).toBe(true);
    expect(extra.originAllowed('https://APP.example:8443')).toBe(true);
    expect(extra.originAllowed('https://app.example')).toBe(false);
    expect(extra.originAllowed('http://app.example:8443')).toBe(false);
    expect(extra.originAllowed('null')).toBe(true);
    const all = new OriginPolicy({ bindHost: '127.0.0.1', allowOrigins: ['*'] });
    expect(all.originAllowed('http://evil.example')).toBe(true);
  });

  it('refusal() names the catalogue error: host first, then origin', () => {
    expect(local.refusal({ host: '127.0.0.1:5000' })).toBeNull();
    expect(local.refusal({ host: 'evil.example:5000', origin: 'http://evil.example:5000' })?.errorName).toBe('host_not_allowed');
    const refused = local.refusal({ host: '127.0.0.1:5000', origin: 'http://evil.example' });
    expect(refused?.errorName).toBe('origin_not_allowed');
    expect(refused?.entry.http_status).toBe(403);
    expect(refused?.data).toEqual({ origin: 'http://evil.example' });
  });
});

describe('Host', () => {
  it('accepts the bound names and localhost, with or without port', () => {
    for (const host of ['127.0.0.1:5000', 'localhost', 'LOCALHOST:1', '[::1]:5000', 'localhost.']) {
      expect([host, local.hostAllowed(host)]).toEqual([host, true]);
    }
  });

  it('refuses a DNS name the server was not told about (DNS rebinding)', () => {
    for (const host of ['evil.example', 'evil.example:5000', 'localhost.evil.example', '', 'a b', 'x:99999999']) {
      expect([host, local.hostAllowed(host)]).toEqual([host, false]);
    }
  });

  it('accepts IP literals, which rebinding cannot produce, and names added with --allow-host', () => {
    expect(local.hostAllowed('192.168.1.20:5000')).toBe(true);
    expect(local.hostAllowed('[fe80::1]:5000')).toBe(true);
    const named = new OriginPolicy({ bindHost: '0.0.0.0', allowHosts: ['gym.example.org'] });
    expect(named.hostAllowed('gym.example.org:80')).toBe(true);
    expect(named.hostAllowed('other.example.org')).toBe(false);
    expect(new OriginPolicy({ bindHost: 'gym.internal' }).hostAllowed('gym.internal:5000')).toBe(true);
    expect(new OriginPolicy({ bindHost: '127.0.0.1', allowHosts: ['*'] }).hostAllowed('anything.example')).toBe(true);
  });

  it('lets a request without Host through (HTTP/1.0 tools; browsers always send one)', () => {
    expect(local.hostAllowed(undefined)).toBe(true);
  });

  it('parses Host headers, IPv6 in brackets', () => {
    expect(parseHostHeader('[::1]:80')).toEqual({ hostname: '::1', port: '80' });
    expect(parseHostHeader('Example.org')).toEqual({ hostname: 'example.org', port: '' });
    expect(parseHostHeader('a/b')).toBeNull();
  });

  it('tells loopback addresses from others', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect([h, isLoopbackHost(h)]).toEqual([h, true]);
    for (const h of ['0.0.0.0', '::', '192.168.0.2', 'example.org', '128.0.0.1']) expect([h, isLoopbackHost(h)]).toEqual([h, false]);
  });
});

describe('CORS', () => {
  it('answers an allowed origin with its own name, credentials and Vary', () => {
    expect(local.corsHeaders('http://localhost:3000')).toEqual({
      'access-control-allow-origin': 'http://localhost:3000',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
    const preflight = local.corsHeaders('http://localhost:3000', undefined, true);
    expect(preflight['access-control-allow-headers']).toContain('access_token');
    expect(preflight['access-control-allow-methods']).toContain('POST');
  });

  it('gives no CORS headers to a foreign origin, to null, or without Origin', () => {
    expect(local.corsHeaders('http://evil.example')).toEqual({});
    expect(local.corsHeaders('null')).toEqual({});
    expect(local.corsHeaders(undefined)).toEqual({});
  });
});
