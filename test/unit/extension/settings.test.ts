// Settings → TrainConfig: unset settings give the book's config, bad values name the setting, and
// package.json declares the same defaults, ranges and choices the reader enforces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type Fault, FaultError } from '../../../src/shared/faults';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import {
  KEPT_RUNS_SETTING,
  NUMBER_SETTINGS,
  SettingsError,
  readKeptRuns,
  readTrainConfig,
} from '../../../src/extension/settings';
import { BACKENDS, NUMBER_RULES, OPTIMIZERS } from '../../../src/shared/trainConfigRules';
import { USAGE, parseCommandLine } from '../../../src/trainer/cliArgs';
import { validateTrainConfig } from '../../../src/trainer/requests';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const properties: Record<
  string,
  {
    type: string;
    default: unknown;
    minimum?: number;
    maximum?: number;
    enum?: string[];
    enumDescriptions?: string[];
    description?: string;
    scope?: string;
  }
> = manifest.contributes.configuration.properties;

const from = (values: Record<string, unknown>) => (key: string) => values[key];

test('no settings: the book’s config, saved to the given model folder', () => {
  assert.deepEqual(readTrainConfig(from({}), '/storage/mnist-model', true), {
    ...DEFAULT_TRAIN_CONFIG,
    modelDir: '/storage/mnist-model',
    followDataLinks: true,
  });
});

test('workspace trust decides whether a data file may link out of the data folder (an untrusted one may not)', () => {
  assert.equal(readTrainConfig(from({ dataDir: '/data/mnist' }), null, true).followDataLinks, true);
  assert.equal(readTrainConfig(from({ dataDir: '/data/mnist' }), null, false).followDataLinks, false);
});

test('the manifest defaults read back as DEFAULT_TRAIN_CONFIG', () => {
  const defaults = Object.fromEntries(
    Object.entries(properties).map(([k, p]) => [k.replace('tensorLens.', ''), p.default]),
  );
  assert.deepEqual(readTrainConfig(from(defaults), null, false), DEFAULT_TRAIN_CONFIG);
});

test('set values reach the config; trainLimit 0 means all, a blank dataDir the package copy', () => {
  const config = readTrainConfig(
    from({
      epochs: 3,
      trainLimit: 30000,
      optimizer: 'adam',
      backend: 'cpu',
      validationSplit: 0.1,
      dataDir: ' /data/mnist ',
    }),
    null,
    true,
  );
  assert.equal(config.epochs, 3);
  assert.equal(config.trainLimit, 30000);
  assert.equal(config.optimizer, 'adam');
  assert.equal(config.backend, 'cpu');
  assert.equal(config.validationSplit, 0.1);
  assert.equal(config.dataDir, '/data/mnist');
  assert.equal(readTrainConfig(from({ trainLimit: 0, dataDir: '  ' }), null, true).trainLimit, null);
  assert.equal(readTrainConfig(from({ dataDir: '' }), null, true).dataDir, null);
});

test('bad values: an error naming the setting, the rule and the value', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ epochs: 0 }, /tensorLens\.epochs must be an integer from 1 to 1000, got 0/],
    [{ epochs: 2.5 }, /tensorLens\.epochs must be an integer/],
    [{ epochs: '5' }, /tensorLens\.epochs .* got "5"/],
    [{ batchSize: 4097 }, /tensorLens\.batchSize must be an integer from 1 to 4096, got 4097/],
    [{ hiddenUnits: 4097 }, /tensorLens\.hiddenUnits must be an integer from 1 to 4096/],
    [{ learningRate: 0 }, /tensorLens\.learningRate must be a number/],
    [{ learningRate: Number.NaN }, /tensorLens\.learningRate/],
    [{ validationSplit: 0.95 }, /tensorLens\.validationSplit .* 0 to 0\.9/],
    [{ trainLimit: -1 }, /tensorLens\.trainLimit/],
    [{ optimizer: 'lbfgs' }, /tensorLens\.optimizer must be one of rmsprop, adam, sgd, got "lbfgs"/],
    [{ backend: 'gpu' }, /tensorLens\.backend must be one of auto, tensorflow, wasm, cpu/],
    [{ dataDir: 42 }, /tensorLens\.dataDir must be a folder path/],
  ];
  for (const [values, message] of cases)
    assert.throws(
      () => readTrainConfig(from(values), null, true),
      (e: Error) => e instanceof SettingsError && message.test(e.message),
      JSON.stringify(values),
    );
});

test('the manifest declares every setting with a description, the reader’s ranges and its choices', () => {
  for (const key of [
    'epochs',
    'batchSize',
    'hiddenUnits',
    'learningRate',
    'optimizer',
    'validationSplit',
    'trainLimit',
    'seed',
    'backend',
    'dataDir',
    'nodePath',
  ]) {
    const p = properties[`tensorLens.${key}`];
    assert.ok(p, `tensorLens.${key} missing`);
    assert.ok((p.description ?? '').length > 10, `tensorLens.${key} description`);
  }
  for (const [key, range] of Object.entries(NUMBER_SETTINGS)) {
    const p = properties[`tensorLens.${key}`];
    assert.equal(p.minimum, range.min, `${key} minimum`);
    assert.equal(p.maximum, range.max, `${key} maximum`);
    assert.equal(p.type, range.integer ? 'integer' : 'number', `${key} type`);
  }
  for (const [key, choices] of [
    ['optimizer', OPTIMIZERS],
    ['backend', BACKENDS],
  ] as const) {
    const p = properties[`tensorLens.${key}`];
    assert.deepEqual(p.enum, [...choices]);
    assert.equal(p.enumDescriptions?.length, choices.length, `${key} enumDescriptions`);
  }
});

test('the settings, the CLI and the trainer accept and refuse the same values: one table of rules', () => {
  const flags: Record<keyof typeof NUMBER_RULES, string> = {
    epochs: '--epochs',
    batchSize: '--batch-size',
    hiddenUnits: '--hidden-units',
    learningRate: '--learning-rate',
    validationSplit: '--validation-split',
    trainLimit: '--train-limit',
    seed: '--seed',
  };
  const accepts = {
    settings: (key: string, value: number) => {
      try {
        readTrainConfig(from({ [key]: value }), null, true);
        return true;
      } catch {
        return false;
      }
    },
    cli: (key: keyof typeof flags, value: number) => {
      try {
        parseCommandLine(['train', `${flags[key]}=${value}`]);
        return true;
      } catch {
        return false;
      }
    },
    trainer: (key: string, value: number) => {
      try {
        validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, [key]: value });
        return true;
      } catch {
        return false;
      }
    },
  };
  for (const [key, rule] of Object.entries(NUMBER_RULES) as [
    keyof typeof NUMBER_RULES,
    (typeof NUMBER_RULES)[keyof typeof NUMBER_RULES],
  ][]) {
    const below = rule.integer ? rule.min - 1 : rule.min / 2 - (rule.min === 0 ? 0.1 : 0);
    const above = rule.integer ? rule.max + 1 : rule.max * 2;
    for (const [value, ok] of [
      [rule.min, true],
      [rule.max, true],
      [below, false],
      [above, false],
    ] as const) {
      // trainLimit 0 is the settings' way of saying "all samples"; the CLI and the trainer spell it null.
      if (key === 'trainLimit' && value === 0) continue;
      for (const [who, accept] of Object.entries(accepts))
        assert.equal(accept(key, value), ok, `${who} ${ok ? 'accepts' : 'refuses'} ${key} = ${value}`);
    }
  }
  // The CLI's usage text is written from the same table.
  for (const [key, rule] of Object.entries(NUMBER_RULES) as [keyof typeof NUMBER_RULES, { min: number; max: number }][])
    assert.ok(USAGE.includes(`[${flags[key]} ${rule.min}..${rule.max}]`), `usage shows ${flags[key]}'s range`);
  assert.ok(
    USAGE.includes(`[--optimizer ${OPTIMIZERS.join('|')}]`) && USAGE.includes(`[--backend ${BACKENDS.join('|')}]`),
  );
  for (const optimizer of OPTIMIZERS) assert.equal(parseCommandLine(['train', '--optimizer', optimizer]).kind, 'train');
  for (const backend of BACKENDS) assert.equal(parseCommandLine(['train', '--backend', backend]).kind, 'train');
});

test('tensorLens.workers: auto or a thread count from 1 to 16, declared so in the manifest', () => {
  assert.equal(readTrainConfig(from({ workers: 3 }), null, true).workers, 3);
  assert.equal(readTrainConfig(from({ workers: 'auto' }), null, true).workers, 'auto');
  for (const bad of [0, 17, 1.5, 'all'])
    assert.throws(
      () => readTrainConfig(from({ workers: bad }), null, true),
      (e: Error) =>
        e instanceof SettingsError && /tensorLens\.workers must be auto or an integer from 1 to 16/.test(e.message),
    );
  const declared = properties['tensorLens.workers'] as unknown as {
    anyOf: { enum?: string[]; minimum?: number; maximum?: number }[];
  };
  assert.deepEqual(declared.anyOf[0].enum, ['auto']);
  assert.equal(declared.anyOf[1].minimum, 1);
  assert.equal(declared.anyOf[1].maximum, 16);
});

test('tensorLens.keptRuns: a careless value is refused with its range, never clamped (issue 19 §2)', () => {
  assert.deepEqual(readKeptRuns(from({})), { ok: true, limit: 50 });
  assert.deepEqual(readKeptRuns(from({ keptRuns: 1 })), { ok: true, limit: 1 });
  assert.deepEqual(readKeptRuns(from({ keptRuns: 1000 })), { ok: true, limit: 1000 });
  for (const bad of [0, -3, '', true, [], 2.5, 1001, '20', Number.NaN, null])
    assert.deepEqual(
      readKeptRuns(from({ keptRuns: bad })),
      bad === null ? { ok: true, limit: 50 } : { ok: false, value: bad },
      JSON.stringify(bad),
    );
  const declared = properties['tensorLens.keptRuns'];
  assert.equal(declared.default, KEPT_RUNS_SETTING.default);
  assert.equal(declared.minimum, KEPT_RUNS_SETTING.min);
  assert.equal(declared.maximum, KEPT_RUNS_SETTING.max);
  assert.equal(declared.type, 'integer');
});

test('tensorLens.keptRuns governs runs kept for every workspace, so no workspace can set it (issue 19 §1)', () => {
  // Application scope: VS Code reads it from the user's settings only, never a folder's .vscode/settings.json.
  assert.equal(properties['tensorLens.keptRuns'].scope, 'application');
  assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('tensorLens.keptRuns'));
});

test('a refused setting is a fault (a kind with the setting, its rule and the value), so the host words it in the display language', () => {
  const cases: [Record<string, unknown>, Fault][] = [
    [{ epochs: 0 }, { kind: 'settingInteger', key: 'epochs', min: 1, max: 1000, value: '0' }],
    [{ learningRate: 0 }, { kind: 'settingNumber', key: 'learningRate', min: 1e-7, max: 1e30, value: '0' }],
    [
      { optimizer: 'lbfgs' },
      { kind: 'settingChoice', key: 'optimizer', options: 'rmsprop, adam, sgd', value: '"lbfgs"' },
    ],
    [{ dataDir: 42 }, { kind: 'settingFolder', key: 'dataDir', value: '42' }],
    [{ workers: 0 }, { kind: 'settingWorkers', key: 'workers', max: 16, value: '0' }],
  ];
  for (const [values, fault] of cases)
    assert.throws(
      () => readTrainConfig(from(values), null, true),
      (e: unknown) => {
        assert.ok(e instanceof SettingsError && e instanceof FaultError, String(e));
        assert.deepEqual(e.fault, fault);
        return true;
      },
      JSON.stringify(values),
    );
});
