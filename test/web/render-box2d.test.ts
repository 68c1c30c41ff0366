/**
 * The page's pictures of LunarLander and BipedalWalker (src/web/static/render.js), drawn on a
 * recording canvas in a child Node process (the page's modules are plain ES modules): the
 * lander sits where its observation puts it, with its flags and legs; the walker shows its
 * ten lidar rays and the ground they hit.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const RENDER = pathToFileURL(join(__dirname, '..', '..', 'src', 'web', 'static', 'render.js')).href;

/** Draws `obs` of `envId` on a 600 × 400 canvas that records every path and fill. */
function draw(envId: string, obs: number[]): { canDraw: boolean; paths: Array<{ op: string; style: string; points: number[][] }> } {
  const script = `
    import { canDraw, drawEnv } from ${JSON.stringify(RENDER)};
    const paths = [];
    let current = [];
    const ctx = new Proxy({ fillStyle: '', strokeStyle: '' }, {
      get(target, key) {
        if (key === 'moveTo') return (x, y) => { current = [[x, y]]; };
        if (key === 'lineTo') return (x, y) => { current.push([x, y]); };
        if (key === 'fill') return () => paths.push({ op: 'fill', style: target.fillStyle, points: current });
        if (key === 'stroke') return () => paths.push({ op: 'stroke', style: target.strokeStyle, points: current });
        if (key in target) return target[key];
        return () => {};
      },
      set(target, key, value) { target[key] = value; return true; },
    });
    const canvas = { width: 600, height: 400, getContext: () => ctx };
    drawEnv(canvas, ${JSON.stringify(obs)}, { envId: ${JSON.stringify(envId)} });
    console.log(JSON.stringify({ canDraw: canDraw(${JSON.stringify(envId)}), paths }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

test('a lander over the pad is drawn between the flags, level, with its legs lit when they touch', () => {
  // Centred above the pad (x = 0), 1 unit of the observation's y above it, legs down.
  const { canDraw, paths } = draw('LunarLander-v2', [0, 0, 0, 0, 0, 0, 1, 1]);
  expect(canDraw).toBe(true);
  const flags = paths.filter((p) => p.style === '#cccc00');
  expect(flags.map((f) => f.points[0][0])).toEqual([240, 360]); // x = 8 and 12 world units, 30 px each
  const body = paths.find((p) => p.op === 'fill' && p.style === '#8066e6' && p.points.length === 6)!;
  const xs = body.points.map(([x]) => x);
  expect((Math.min(...xs) + Math.max(...xs)) / 2).toBeCloseTo(300, 6); // centred on the pad
  const legs = paths.filter((p) => p.style === '#22c55e');
  expect(legs).toHaveLength(2);
  // One leg each side of the body.
  const legX = legs.map((l) => l.points.reduce((a, [x]) => a + x, 0) / l.points.length).sort((a, b) => a - b);
  expect(legX[0]).toBeLessThan(300);
  expect(legX[1]).toBeGreaterThan(300);
  // Off to the left by half the screen, the lander is drawn a quarter of the way across.
  const moved = draw('LunarLander-v3', [-0.5, 0, 0, 0, 0, 0, 0, 0]).paths.find((p) => p.op === 'fill' && p.style === '#8066e6' && p.points.length === 6)!;
  const mx = moved.points.map(([x]) => x);
  expect((Math.min(...mx) + Math.max(...mx)) / 2).toBeCloseTo(150, 6);
});

test('the walker is drawn with its ten lidar rays, the ground they hit, and its hull', () => {
  const obs = [0.1, 0, 0, 0, 0.2, 0, 0.5, 0, 1, -0.3, 0, 0.4, 0, 0, 0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.5, 0.5, 0.5, 1];
  const { canDraw, paths } = draw('BipedalWalker-v3', obs);
  expect(canDraw).toBe(true);
  const rays = paths.filter((p) => p.style === 'rgba(255, 0, 0, 0.5)');
  expect(rays).toHaveLength(10);
  const ground = paths.filter((p) => p.style === '#66994c');
  expect(ground).toHaveLength(1);
  expect(ground[0].points).toHaveLength(9 + 2); // nine rays hit, the tenth reached its range
  expect(paths.some((p) => p.style === '#7f33e5' && p.points.length === 5)).toBe(true);
  expect(draw('BipedalWalkerHardcore-v3', obs).canDraw).toBe(true);
});
