/** Observation schemas: derived from Box, Dict, Discrete and Tuple spaces, read from Pathmind's two schema.yaml layouts, flattened in order. */
import { stringify } from 'yaml';
import { Tuple } from '../../../src/envs/spaces/tuple';
import { bodySchema, flatten, schemaDocument, schemaFromSpace, schemaFromYaml, unflatten } from '../../../src/rest/policy/observation_schema';
import { Box, Dict, Discrete, cartpoleObservation, described } from './models';

test('a Box gives one obs array of its size with its bounds; saved names give one number field each', () => {
  const cartpole = cartpoleObservation();
  const plain = schemaFromSpace(cartpole);
  expect(plain.fields.map((f) => [f.name, f.size])).toEqual([['obs', 4]]);
  const obs = plain.fields[0].schema as any;
  expect(obs).toMatchObject({ type: 'array', minItems: 4, maxItems: 4 });
  // CartPole's position is bounded by ±4.8; its velocity is not, so it has no bound.
  expect(obs.prefixItems[0]).toEqual({ type: 'number', minimum: expect.closeTo(-4.8, 5), maximum: expect.closeTo(4.8, 5) });
  expect(obs.prefixItems[1]).toEqual({ type: 'number' });

  const named = schemaFromSpace(cartpole, ['x', 'x_dot', 'theta', 'theta_dot']);
  expect(named.fields.map((f) => [f.name, f.size])).toEqual([['x', 1], ['x_dot', 1], ['theta', 1], ['theta_dot', 1]]);
  expect(named.fields[2].schema).toMatchObject({ type: 'number', minimum: expect.closeTo(-0.4189, 3) });
  // Names of the wrong count are not used.
  expect(schemaFromSpace(cartpole, ['a', 'b']).fields.map((f) => f.name)).toEqual(['obs']);
  // A uniform bound is one items schema.
  expect(schemaFromSpace(described(new Box(0, 1, [3]) as never)).fields[0].schema).toMatchObject({ items: { type: 'number', minimum: 0, maximum: 1 } });
});

test('a Dict gives its keys in the space\'s order; Discrete an integer in range; a Tuple obs_0, obs_1, ...', () => {
  const dict = described(new Dict({ velocity: new Box(-2, 2, [2]), gear: new Discrete(5, 1) }) as never);
  const schema = schemaFromSpace(dict);
  expect(schema.fields.map((f) => [f.name, f.size])).toEqual([['gear', 1], ['velocity', 2]]);
  expect(schema.fields[0].schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 5 });
  const flat = flatten(schema, { velocity: [0.5, -1], gear: 3 });
  expect(flat).toEqual([3, 0.5, -1]);
  const { value } = unflatten(dict, flat);
  expect(value).toEqual({ gear: 3, velocity: Float32Array.from([0.5, -1]) });

  expect(schemaFromSpace(described(new Discrete(16) as never)).fields).toEqual([{ name: 'obs', size: 1, schema: expect.objectContaining({ type: 'integer', minimum: 0, maximum: 15 }) }]);
  const tuple = described(new Tuple([new Discrete(32), new Discrete(11), new Discrete(2)]) as never);
  expect(schemaFromSpace(tuple).fields.map((f) => f.name)).toEqual(['obs_0', 'obs_1', 'obs_2']);
  expect(unflatten(tuple, [14, 6, 1]).value).toEqual([14, 6, 1]);
});

test("Pathmind's Observation layout: typed, described properties in declared order, booleans as 0 and 1", () => {
  const text = `Observation:
  type: "object"
  required: [speed, lights]
  properties:
    speed:
      type: "number"
      format: "float"
      minimum: 0
      description: "Speed in m/s"
    lights:
      type: "array"
      items:
        type: "boolean"
    lane:
      type: "integer"
      example: 2
`;
  const schema = schemaFromYaml(text, 5);
  expect(schema.fields.map((f) => [f.name, f.size])).toEqual([['speed', 1], ['lights', 3], ['lane', 1]]);
  expect(schema.fields[0].schema).toEqual({ type: 'number', format: 'float', minimum: 0, description: 'Speed in m/s' });
  // The one list without a length takes what the others leave.
  expect(schema.fields[1].schema).toMatchObject({ type: 'array', items: { type: 'boolean' }, minItems: 3, maxItems: 3 });
  expect(flatten(schema, { lane: 2, lights: [true, false, true], speed: 4.5 })).toEqual([4.5, 1, 0, 1, 2]);
  // Every declared field is required, to fill the vector.
  expect(bodySchema(schema).required).toEqual(['speed', 'lights', 'lane']);
});

test("Pathmind's observations layout: int, float, bool and List[...] types", () => {
  const text = `observations:
  id:
    type: int
  coordinates:
    type: List[float]
  is_free:
    type: bool
parameters:
  discrete: True
  tuple: False
`;
  const schema = schemaFromYaml(text, 4);
  expect(schema.fields.map((f) => [f.name, f.schema.type, f.size])).toEqual([['id', 'integer', 1], ['coordinates', 'array', 2], ['is_free', 'boolean', 1]]);
});

test('GET /schema\'s document is itself a schema.yaml that reads back to the same fields', () => {
  const derived = schemaFromSpace(described(new Dict({ velocity: new Box(-2, 2, [2]), gear: new Discrete(5, 1) }) as never));
  const again = schemaFromYaml(stringify(schemaDocument(derived)), 3);
  expect(again.fields).toEqual(derived.fields);
});

test('a schema.yaml that cannot fit the model is refused at start, saying why', () => {
  expect(() => schemaFromYaml('observations:\n  a:\n    type: float\n', 4, 'my.yaml')).toThrow('my.yaml: the fields flatten to 1 numbers, the model reads observations of 4');
  expect(() => schemaFromYaml('observations:\n  a:\n    type: List[float]\n  b:\n    type: List[int]\n', 4)).toThrow(/give minItems and maxItems to all but one/);
  expect(() => schemaFromYaml('observations:\n  a:\n    type: str\n', 1)).toThrow(/observation "a" has type "str"/);
  expect(() => schemaFromYaml('parameters:\n  discrete: true\n', 1)).toThrow(/describes no observation/);
  expect(() => schemaFromYaml('Observation: [unclosed', 1)).toThrow(/not valid YAML/);
  for (const bad of [() => schemaFromYaml('observations:\n  a: 3\n', 1)]) expect(bad).toThrow(expect.objectContaining({ errorName: 'invalid_params' }));
});
