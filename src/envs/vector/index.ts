/** Gymnasium's `gymnasium.vector`: vector environments, their autoreset modes and the batching helpers. */
export { SyncVectorEnv } from './sync_vector_env';
export type { SyncVectorEnvOptions } from './sync_vector_env';
export { AUTORESET_MODES, AutoresetMode, VectorEnv } from './vector_env';
export type { VectorResetArgs, VectorStepResult } from './vector_env';
export { add_info } from './infos';
export type { VectorInfo } from './infos';
export { BoolArray } from './utils/bool_array';
export { batch_check } from './utils/batch_check';
export { batch_reader, batch_space, batch_writer, concatenate, copy_batch, create_empty_array, iterate } from './utils/space_utils';
export { make_vec } from '../registration';
export type { MakeVecOptions } from '../registration';
