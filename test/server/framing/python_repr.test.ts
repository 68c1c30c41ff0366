/** Python's repr of JSON values, as Gymie-Server's close reasons print them; floats exactly as CPython's `repr(float)`. */
import { pythonFloatRepr, pythonRepr, pythonStr } from '../../../src/server/framing/python_repr';

// Each right-hand side is what CPython 3.11 printed for repr() of the left-hand float.
const PYTHON_REPR: [number, string][] = [
  [1e20, '1e+20'],
  [1e16, '1e+16'],
  [1234567890123456.0, '1234567890123456.0'],
  [9999999999999998.0, '9999999999999998.0'],
  [1e15, '1000000000000000.0'],
  [2 ** 53, '9007199254740992.0'],
  [123456789012345678, '1.2345678901234568e+17'],
  [1e22, '1e+22'],
  [1.5e300, '1.5e+300'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
  [3.4028234663852886e38, '3.4028234663852886e+38'],
  [1e-5, '1e-05'],
  [-1e-7, '-1e-07'],
  [5e-324, '5e-324'],
  [0.0001, '0.0001'],
  [0.00012345, '0.00012345'],
  [0.1, '0.1'],
  [1 / 3, '0.3333333333333333'],
  [-2.5, '-2.5'],
  [100, '100.0'],
  [0, '0.0'],
  [-0, '-0.0'],
  [Infinity, 'inf'],
  [-Infinity, '-inf'],
  [NaN, 'nan'],
];

test.each(PYTHON_REPR)('repr(%p) is %s', (x, expected) => {
  expect(pythonFloatRepr(x)).toBe(expected);
});

test('in a value: whole numbers under 1e16 read as JSON integers, every other number as Python prints a float', () => {
  expect(pythonRepr(1e20)).toBe('1e+20');
  expect(pythonRepr(1e16)).toBe('1e+16');
  expect(pythonRepr(1234567890123456)).toBe('1234567890123456');
  expect(pythonRepr({ seed: 1e-5, steps: [0.0001, 1.5e300, -3] })).toBe("{'seed': 1e-05, 'steps': [0.0001, 1.5e+300, -3]}");
  expect(pythonStr(1e20)).toBe('1e+20');
});
