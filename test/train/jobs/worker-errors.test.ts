/** A worker's error crosses the thread boundary as PalestraError JSON and comes back as the same catalogue error. */
import { PalestraError } from '../../../src/errors';

test('toJSON then fromJSON gives back the catalogue error with its message and data', () => {
  const sent = new PalestraError('invalid_hyperparameters', 'Invalid hyperparameters for ppo: gamma must be ≤ 1', { errors: ['gamma'] });
  const back = PalestraError.fromJSON(JSON.parse(JSON.stringify(sent.toJSON())));
  expect(back).toBeInstanceOf(PalestraError);
  expect(back.errorName).toBe('invalid_hyperparameters');
  expect(back.code).toBe(2002);
  expect(back.message).toBe(sent.message);
  expect(back.data).toEqual({ errors: ['gamma'] });
});

test('a name the catalogue does not know comes back as internal_error, message kept', () => {
  const back = PalestraError.fromJSON({ code: 7, message: 'odd', data: { name: 'constructor' } });
  expect(back.errorName).toBe('internal_error');
  expect(back.message).toBe('odd');
});
