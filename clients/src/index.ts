/** palestra-client: Gymnasium environments, training and saved policies on a Palestra server, from Node or a browser. */
export { connect, PalestraClient, CLIENT_VERSION } from './client.js';
export type { KnownEnvs, KnownEnvId } from './envs.js';
export type { ConnectOptions, MakeOptions, TrainOptions, AlgorithmChoice, EvaluateOptions, PredictOptions, StopOptions, Params, Result, Frame, ProgressFrame, DoneFrame, EvaluateProgressFrame } from './client.js';
export { Env } from './env.js';
export type { StepResult, ResetResult, ResetOptions, MakeResult } from './env.js';
export { TrainJob } from './job.js';
export type { JobFrame, JobState } from './job.js';
export { PalestraClientError, RpcError, TimeoutError, ConnectionClosedError, ERROR_CODES } from './errors.js';
export type { ErrorName } from './errors.js';
export { Space, Discrete, Box, MultiBinary, MultiDiscrete, Tuple, Dict, Text, CustomSpace, spaceFromJSON, parseNumber, wireNumber } from './spaces.js';
export type { SpaceDescription, NDArray } from './spaces.js';
export { Random } from './random.js';
export type { CallOptions, CloseInfo, SocketLike, WebSocketConstructor } from './rpc.js';
export { METHOD_NAMES, FRAME_NAMES, ALGORITHM_NAMES } from './protocol.js';
export type { AlgorithmName, Hyperparameters } from './protocol.js';
export type * as protocol from './protocol.js';
