/** The `--queue` URL as a user writes it, and the mistakes told in words (no Redis needed). */
import { redisOptions } from '../../src/cluster/connection';
import { cli } from '../cli/run';

test('a redis:// URL gives host, port, credentials and database', () => {
  expect(redisOptions('redis://127.0.0.1:6390')).toMatchObject({ host: '127.0.0.1', port: 6390, db: 0, password: undefined });
  expect(redisOptions('redis://:s%40cret@queue.example:6400/3')).toMatchObject({ host: 'queue.example', port: 6400, password: 's@cret', db: 3 });
  expect(redisOptions('rediss://user:pw@queue.example')).toMatchObject({ port: 6379, username: 'user', password: 'pw', tls: {} });
});

test('anything else is refused, naming what is expected', () => {
  expect(() => redisOptions('localhost:6379')).toThrow(/redis:\/\//);
  expect(() => redisOptions('http://localhost:6379')).toThrow(/redis:\/\/ or rediss:\/\//);
});

test('palestra worker without --queue, or with a Redis nobody runs, says so in one line', async () => {
  const missing = await cli(['worker']);
  expect(missing.code).toBe(1);
  expect(missing.err).toMatch(/needs --queue redis:\/\/HOST:PORT/);
  const unreachable = await cli(['worker', '--queue', 'redis://127.0.0.1:1', '--data-dir', require('node:os').tmpdir()]);
  expect(unreachable.code).toBe(1);
  expect(unreachable.err).toMatch(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
});
