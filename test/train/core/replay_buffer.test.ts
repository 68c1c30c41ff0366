/** The off-policy learners' memory: a ring of transitions, uniform minibatches, and targets that trail by τ. */
import { ParamGroup, ParamSet, polyak } from '../../../src/train/core/nn';
import { Rng } from '../../../src/train/core/random';
import { ReplayBuffer } from '../../../src/train/core/replay_buffer';

/** Transition k: obs [k, −k], action [k/10], reward k, next [k+1, −k−1], terminated on multiples of 3. */
function fill(rb: ReplayBuffer, from: number, to: number): void {
  for (let k = from; k < to; k++) rb.add([k, -k], [k / 10], k, [k + 1, -k - 1], k % 3 === 0);
}

test('a full buffer overwrites its oldest transitions and samples only what it holds, rows kept together', () => {
  const rb = new ReplayBuffer(5, 2, 1, 64);
  fill(rb, 0, 8);
  expect(rb.size).toBe(5);
  const mb = rb.sample(new Rng(1));
  const seen = new Set<number>();
  for (let j = 0; j < mb.size; j++) {
    const k = mb.rewards[j];
    seen.add(k);
    expect([mb.obs[2 * j], mb.obs[2 * j + 1]]).toEqual([k, -k]);
    expect([mb.next[2 * j], mb.next[2 * j + 1]]).toEqual([k + 1, -k - 1]);
    expect(mb.actions[j]).toBeCloseTo(k / 10, 6);
    expect(mb.notDone[j]).toBe(k % 3 === 0 ? 0 : 1);
  }
  // Transitions 0–2 were overwritten by 5–7; 64 draws from 5 see every one held.
  expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
});

test('a Discrete action is stored as one float', () => {
  const rb = new ReplayBuffer(4, 1, 1, 8);
  rb.add([0.5], 2, 1, [0.25], false);
  expect(rb.sample(new Rng(0)).actions[3]).toBe(2);
});

test('a Polyak step moves the target τ of the way to the online parameters, and only over the range asked', () => {
  const online = Float32Array.of(1, 2, 3, 4);
  const target = Float32Array.of(0, 0, 0, 0);
  polyak(target, online, 0.005, 1, 3);
  expect(Array.from(target)).toEqual([0, expect.closeTo(0.01, 7), expect.closeTo(0.015, 7), 0]);
  // After n steps toward a fixed online vector, the gap is (1 − τ)^n of the start's.
  for (let i = 0; i < 99; i++) polyak(target, online, 0.005, 1, 3);
  expect(target[1]).toBeCloseTo(2 * (1 - 0.995 ** 100), 5);
});

test('a parameter group steps its own slots and leaves the rest of the set alone', () => {
  const set = new ParamSet();
  set.add([2]);
  const b = set.add([3]);
  const c = set.add([1]);
  set.allocate().set([1, 1, 1, 1, 1, 1]);
  const group = new ParamGroup(set, [b, c]);
  expect([group.from, group.to]).toEqual([2, 6]);
  const fakeGrad = (values: number[]) => ({ dataSync: () => Float32Array.from(values) }) as never;
  group.step([fakeGrad([1, -1, 0]), fakeGrad([2])], 0.1);
  // Adam's first step moves each parameter with a gradient by the learning rate, against its sign.
  expect(Array.from(set.params).map((v) => Math.round(v * 1000) / 1000)).toEqual([1, 1, 0.9, 1.1, 1, 0.9]);
  expect(() => new ParamGroup(set, [0, c])).toThrow(/contiguous/);
});
