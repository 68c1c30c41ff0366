/** Every recorded Gymnasium vector rollout, replayed in-process on SyncVectorEnv in its autoreset mode. */
import { describeSpace, canonicalValue } from '../../../src/api/spaces';
import { NDArray } from '../../../src/api/values';
import { make_vec } from '../../../src/envs';
import { jsonRpcValue } from '../../../src/server/framing/jsonrpc_codec';
import { loadVectorConformance, replayVectorCase, VectorConformanceFile, VectorReplayTarget } from './replay';

const files = loadVectorConformance();

/** The in-process target: a SyncVectorEnv made as the server would make it. */
function inProcess(file: VectorConformanceFile, copy: boolean): VectorReplayTarget {
  const envs = make_vec(file.env_id, file.num_envs, { kwargs: file.kwargs, autoreset_mode: file.autoreset_mode, copy });
  return {
    reset: (args) => {
      const [obs, info] = envs.reset(args);
      return [canonicalValue(envs.observation_space, obs), info];
    },
    step: (actions) => {
      const [obs, ...rest] = envs.step(actions instanceof NDArray ? actions.data : actions);
      return [canonicalValue(envs.observation_space, obs), ...rest];
    },
    actionSample: (seed) => {
      if (seed !== undefined) envs.action_space.seed(seed);
      return canonicalValue(envs.action_space, envs.action_space.sample());
    },
  };
}

test('there is a fixture for each of the seven variants in each autoreset mode', () => {
  expect(files.length).toBe(21);
  const modes = new Set(files.map((f) => `${f.env_id}:${f.autoreset_mode}`));
  expect(modes.size).toBe(21);
});

describe.each(files.map((f) => [f.file, f] as const))('%s', (_name, file) => {
  test('single spaces are the recorded ones', () => {
    const envs = make_vec(file.env_id, file.num_envs, { kwargs: file.kwargs, autoreset_mode: file.autoreset_mode });
    expect(envs.num_envs).toBe(file.num_envs);
    expect(envs.autoreset_mode).toBe(file.autoreset_mode);
    expect(jsonRpcValue(describeSpace(envs.single_observation_space))).toEqual(file.single_observation_space);
    expect(jsonRpcValue(describeSpace(envs.single_action_space))).toEqual(file.single_action_space);
    envs.close();
  });

  test.each(file.cases.map((c, i) => [i, c.seed, c] as const))('case %i (seed %s) is reproduced exactly', async (_i, _seed, c) => {
    await replayVectorCase(inProcess(file, true), c);
  });

  test('the first case is reproduced with copy: false (answers are the env\'s own buffers)', async () => {
    await replayVectorCase(inProcess(file, false), file.cases[0]);
  });
});
