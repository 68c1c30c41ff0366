/** The Box2D engine as the environments use it: glibc's sinf/cosf inside, bodies that fall and rest, rays that hit. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { World, rotation } from '../../../src/envs/box2d/engine/box2d';

test("b2Rot's sine and cosine are glibc's, on 400 angles where emscripten's own libc differs", () => {
  const { values } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'box2d', 'glibc_sincosf.json'), 'utf8')) as { values: number[][] };
  expect(values).toHaveLength(400);
  const got = values.map(([x]) => [x, ...rotation(x)]);
  expect(got).toEqual(values);
});

test('a box dropped on the ground comes to rest on it and falls asleep', () => {
  const world = new World(0, -10);
  const ground = world.body(false, 0, 0);
  ground.edge(-10, 0, 10, 0);
  const box = world.body(true, 0, 5, 0.3, { tracksGround: true });
  box.box(0.5, 0.5, { density: 1 });
  let t = 0;
  while (box.state().awake && t < 1000) {
    world.step(1 / 50, 180, 60);
    t++;
  }
  const s = box.state();
  expect(s.awake).toBe(false);
  expect(s.groundContact).toBe(true);
  // It rests on a face: half its height, plus both shapes' skins (b2_polygonRadius, 0.01 each), less the linear slop (0.005).
  expect(Math.abs(s.y - 0.515)).toBeLessThan(0.002);
  expect(Math.abs(s.angle % (Math.PI / 2))).toBeLessThan(0.01);
  world.destroy();
});

test('a contact on a body made with endsEpisode sets gameOver', () => {
  const world = new World(0, -10);
  world.body(false, 0, 0).edge(-10, 0, 10, 0);
  const hull = world.body(true, 0, 1, 0, { endsEpisode: true });
  hull.box(0.5, 0.5, { density: 1 });
  expect(world.gameOver).toBe(false);
  for (let t = 0; t < 50; t++) world.step(1 / 50, 8, 3);
  expect(world.gameOver).toBe(true);
  world.destroy();
});

test('a ray down onto the ground stops half way, and passes through fixtures without the ground bit', () => {
  const world = new World(0, -10);
  world.body(false, 0, 0).edge(-10, 0, 10, 0);
  const other = world.body(false, 0, 0.5);
  other.box(1, 0.1, { categoryBits: 0x0020 });
  const hit = world.lidar(0, 1, 0, -1);
  expect(hit.fraction).toBeCloseTo(0.5, 6);
  expect([hit.x, hit.y]).toEqual([0, 0]);
  expect(world.lidar(0, 1, 0, 0.5).fraction).toBe(1);
  world.destroy();
});
