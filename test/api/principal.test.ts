/** Who may see what: owners see their own, admins see all, records from before keys are the local user's. */
import { LOCAL_USER, mayAccess } from '../../src/api/principal';

const alice = { name: 'alice', admin: false };
const bob = { name: 'bob', admin: false };
const ops = { name: 'ops', admin: true };

it('an owner sees their own and not another’s', () => {
  expect(mayAccess(alice, 'alice')).toBe(true);
  expect(mayAccess(bob, 'alice')).toBe(false);
});

it('an admin sees everyone’s', () => {
  expect(mayAccess(ops, 'alice')).toBe(true);
  expect(mayAccess(ops, undefined)).toBe(true);
});

it('a record without owner belongs to the local user, who sees everything', () => {
  expect(mayAccess(LOCAL_USER, undefined)).toBe(true);
  expect(mayAccess(LOCAL_USER, 'alice')).toBe(true);
  expect(mayAccess(alice, undefined)).toBe(false);
  expect(mayAccess(alice, null)).toBe(false);
});
