/**
 * The TensorFlow.js numerics backend: native TensorFlow (`@tensorflow/tfjs-node`)
 * where it is installed, else WebAssembly, else plain JavaScript (`cpu`).
 * The main thread chooses once at start-up; every worker loads the same one.
 */
import type * as TF from '@tensorflow/tfjs';

/** The TensorFlow.js namespace, as `require('@tensorflow/tfjs')` gives it. */
export type Tf = typeof TF;

/** Backend names as `tf.getBackend()` reports them. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What `start({ backend })` and `--backend` accept. */
export type BackendOption = BackendName | 'node' | 'auto';

/** The accepted values of the backend option. */
export const BACKEND_OPTIONS: readonly BackendOption[] = ['auto', 'tensorflow', 'node', 'wasm', 'cpu'];

/** A loaded backend: its name and the tf namespace it runs under. */
export interface Backend {
  name: BackendName;
  tf: Tf;
  /** Backends tried before this one, and why each was passed over. */
  skipped: { name: BackendName; reason: string }[];
}

/** Thrown when a backend was forced and cannot be loaded. */
export class BackendUnavailable extends Error {}

function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 300);
}

/** Silences tfjs's console advertising and debug checks; we log our own choice. */
function quiet(tf: Tf): Tf {
  if (!tf.env().getBool('PROD')) tf.enableProdMode();
  return tf;
}

async function loadNode(): Promise<Tf> {
  // tfjs-node re-exports tfjs with the native kernels registered; any failure
  // (not installed, missing native library, ABI mismatch) means "not available".
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = quiet(require('@tensorflow/tfjs-node') as Tf);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend("tensorflow") failed');
  return tf;
}

async function loadWasm(): Promise<Tf> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = quiet(require('@tensorflow/tfjs') as Tf);
  // The node build of the wasm backend reads its .wasm files from its own
  // package directory, so no setWasmPaths and no network are needed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
  await tf.ready();
  return tf;
}

async function loadCpu(): Promise<Tf> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = quiet(require('@tensorflow/tfjs') as Tf);
  if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
  return tf;
}

const LOADERS: Record<BackendName, () => Promise<Tf>> = { tensorflow: loadNode, wasm: loadWasm, cpu: loadCpu };

/** Normalises the option: `node` is `tensorflow`; undefined is `auto`. */
export function backendPreference(option: string | undefined): BackendName | 'auto' {
  if (option === undefined || option === 'auto') return 'auto';
  if (option === 'node') return 'tensorflow';
  if (option === 'tensorflow' || option === 'wasm' || option === 'cpu') return option;
  throw new BackendUnavailable(`Unknown backend ${JSON.stringify(option)}; expected one of ${BACKEND_OPTIONS.join(', ')}`);
}

let loaded: Backend | null = null;

/**
 * Loads the preferred backend, or the best available one for `auto`.
 * A forced backend that fails to load is an error, not a silent fallback.
 * One backend per thread: later calls answer the first choice unless forced otherwise.
 */
export async function loadBackend(option?: string): Promise<Backend> {
  const preference = backendPreference(option);
  if (loaded && (preference === 'auto' || preference === loaded.name)) return loaded;
  const order: BackendName[] = preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference];
  const skipped: Backend['skipped'] = [];
  for (const name of order) {
    try {
      const tf = await LOADERS[name]();
      loaded = { name, tf, skipped };
      return loaded;
    } catch (err) {
      skipped.push({ name, reason: reasonOf(err) });
    }
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new BackendUnavailable(`No TensorFlow.js backend could be loaded (${why})`);
}
