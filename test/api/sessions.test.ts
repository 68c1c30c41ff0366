/** The session store: who owns which environments, and how much a session remembers. */
import { Session, openSession, sessionsOf } from '../../src/api/sessions';
import { apiServer } from '../helpers/api';

test('a session remembers the ids it closed, only the most recent 1024', () => {
  const session = new Session({ maxEnvs: 1 });
  for (let i = 0; i < 1100; i++) session.markClosed(`id${i}`);
  expect(session.wasClosed('id0')).toBe(false);
  expect(session.wasClosed('id75')).toBe(false);
  expect(session.wasClosed('id76')).toBe(true);
  expect(session.wasClosed('id1099')).toBe(true);
});

test('pushed frames reach the session until it ends', () => {
  const server = apiServer();
  const frames: unknown[] = [];
  const session = openSession(server, { push: (method, params) => frames.push([method, params]) });
  session.notify('train.progress', { timesteps: 1 });
  sessionsOf(server).end(session);
  session.notify('train.progress', { timesteps: 2 });
  expect(frames).toEqual([['train.progress', { timesteps: 1 }]]);
  expect(session.open).toBe(false);
});

test('instance ids are fresh within a session, by its own generator', () => {
  const ids = ['aaaa', 'aaaa', 'bbbb'];
  const session = new Session({ maxEnvs: 4, newInstanceId: () => ids.shift()! });
  session.markClosed(session.newInstanceId());
  expect(session.newInstanceId()).toBe('bbbb');
});
