// Validation of what reaches the trainer from outside: a training config (from the host's settings
// or the CLI's flags) and the raw messages the child process receives over IPC.
import type { TrainConfig, TrainerRequest } from '../shared/protocol';
import {
  BACKENDS,
  NUMBER_RULES,
  type NumberRule,
  OPTIMIZERS,
  STREAM_LEVELS,
  choiceFault,
  numberFault,
  workersFault,
} from '../shared/trainConfigRules';

export class InvalidRequestError extends Error {}

type Check = (value: unknown) => string | null;

const integerAtLeast =
  (min: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? null : `must be an integer ≥ ${min}`;
const oneOf =
  (options: readonly string[]): Check =>
  (v) =>
    choiceFault(options, v);
const within =
  (rule: NumberRule): Check =>
  (v) =>
    numberFault(rule, v);
const nullOr =
  (check: Check): Check =>
  (v) =>
    v === null ? null : check(v);
const nonEmpty =
  (what: string): Check =>
  (v) =>
    typeof v === 'string' && v.length > 0 ? null : `must be ${what}`;
const folder = nonEmpty('a folder path');
const boolean: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');

const configChecks: Record<keyof TrainConfig, Check> = {
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
  followDataLinks: boolean,
  modelDir: nullOr(folder),
  stream: oneOf(STREAM_LEVELS),
};

/**
 * Throws InvalidRequestError for the first bad field, e.g. "epochs must be an integer ≥ 1, got 0".
 * `label` names a field as the caller's user knows it (the CLI says `--batch-size`).
 */
export function validateTrainConfig(
  config: unknown,
  label: (field: keyof TrainConfig) => string = (f) => f,
): TrainConfig {
  if (typeof config !== 'object' || config === null) throw new InvalidRequestError('config must be an object');
  const record = config as Record<string, unknown>;
  for (const field of Object.keys(configChecks) as (keyof TrainConfig)[]) {
    const fault = configChecks[field](record[field]);
    if (fault)
      throw new InvalidRequestError(`${label(field)} ${fault}, got ${JSON.stringify(record[field]) ?? 'nothing'}`);
  }
  return config as TrainConfig;
}

const requestFields: Record<TrainerRequest['type'], Record<string, Check>> = {
  start: {},
  stop: {},
  pause: {},
  resume: {},
  shutdown: {},
  step: { requestId: integerAtLeast(0) },
  evaluate: { requestId: integerAtLeast(0) },
  predict: { requestId: integerAtLeast(0), file: nonEmpty('an image file path') },
  getTensor: { requestId: integerAtLeast(0), name: nonEmpty('a tensor name') },
  save: { requestId: integerAtLeast(0), modelDir: folder },
  load: { requestId: integerAtLeast(0), modelDir: folder },
};

/** Checks a message received over IPC; throws InvalidRequestError naming the fault. */
export function parseTrainerRequest(message: unknown): TrainerRequest {
  if (typeof message !== 'object' || message === null)
    throw new InvalidRequestError(`invalid request: expected an object, got ${JSON.stringify(message)}`);
  const record = message as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.hasOwn(requestFields, type)) {
    throw new InvalidRequestError(`invalid request: unknown type ${JSON.stringify(type)}`);
  }
  for (const [field, check] of Object.entries(requestFields[type as TrainerRequest['type']])) {
    const fault = check(record[field]);
    if (fault)
      throw new InvalidRequestError(
        `invalid ${type} request: ${field} ${fault}, got ${JSON.stringify(record[field]) ?? 'nothing'}`,
      );
  }
  if (type === 'start' || type === 'step') validateTrainConfig(record.config);
  return message as TrainerRequest;
}

/** The requestId of a request that has one, to address its error. */
export function requestIdOf(request: TrainerRequest): number | null {
  return 'requestId' in request ? request.requestId : null;
}
