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

/** Threads that train each batch: `auto` is resolved per backend and host by the trainer (fused/fusedTrainer.ts resolveWorkers). */
export type WorkersChoice = 'auto' | number;
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
