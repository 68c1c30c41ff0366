/** Every space, as Gymnasium's `gymnasium.spaces` exports them. */
export { NotInSpace, Space, formatValue } from './space';
export { Discrete } from './discrete';
export { Box } from './box';
export type { BoxArray, BoxDtype } from './box';
export { MultiBinary } from './multi_binary';
export { MultiDiscrete } from './multi_discrete';
export type { NestedInts } from './multi_discrete';
export { Tuple } from './tuple';
export { Dict } from './dict';
