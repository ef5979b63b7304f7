// Fuzzes the loaders of every file a user can point Tensor Lens at, with mutations of real files:
// MNIST IDX folders (raw and gzipped) through the trainer's loadMnist, PNG and JPEG digits through
// loadDigitInput, saved models through loadModel, Keras run folders (test/fixtures/keras-runs)
// through the run-format reader's readRun and readSnapshot. Every case must end in a result or in one error
// line that names the file (no stack, no library's multi-line message) within TIME_LIMIT_MS and
// MEMORY_LIMIT_MB. Cases run in child processes, a batch each, so a hang or a runaway allocation is
// caught and named. Exits 1 on a violation and prints the command that replays it.
//   npm run fuzz -- [--seed N] [--cases N] [--quick] [--only idx|image|model|run] [--case I]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import { seededRandom } from '../src/shared/random';

const KINDS = ['idx', 'image', 'model', 'run'] as const;
type Kind = (typeof KINDS)[number];
const TIME_LIMIT_MS = 5000;
const MEMORY_LIMIT_MB = 1024;
const BATCH_SIZE = 50;

interface CaseResult {
  index: number;
  ok: boolean;
  message: string;
  ms: number;
  rssMB: number;
  dir: string;
}

// ---------------------------------------------------------------- seeded randomness

class Random {
  private readonly next: () => number;
  constructor(seed: number, kind: Kind, index: number) {
    this.next = seededRandom(seed * 7919 + KINDS.indexOf(kind) * 104729 + index * 2654435761);
  }
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.below(256));
  }
}

// ---------------------------------------------------------------- byte mutations

function mutateBytes(rng: Random, input: Uint8Array, hotRegion: number): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(input);
  const ops = 1 + rng.below(3);
  for (let k = 0; k < ops; k++) {
    switch (rng.below(6)) {
      case 0: // cut short
        bytes = bytes.slice(0, rng.below(bytes.length + 1));
        break;
      case 1: // flip bytes where the header lives
        for (let i = 0, n = 1 + rng.below(4); i < n && bytes.length > 0; i++)
          bytes[rng.below(Math.min(hotRegion, bytes.length))] = rng.below(256);
        break;
      case 2: // a big-endian uint32 in the header set to an extreme
        if (bytes.length >= 8) {
          const at = 4 * rng.below(Math.max(1, Math.min(hotRegion, bytes.length) / 4 - 1));
          new DataView(bytes.buffer).setUint32(at, rng.pick([0, 1, 0xffff, 0x7fffffff, 0xffffffff, rng.below(1e6)]));
        }
        break;
      case 3: // trailing junk
        bytes = concat(bytes, rng.bytes(1 + rng.below(2000)));
        break;
      case 4: // overwrite a stretch anywhere
        if (bytes.length > 0) {
          const junk = rng.bytes(1 + rng.below(Math.min(64, bytes.length)));
          bytes.set(junk, rng.below(bytes.length - junk.length + 1));
        }
        break;
      default: // drop a stretch from the middle
        if (bytes.length > 2) {
          const at = rng.below(bytes.length);
          bytes = concat(bytes.slice(0, at), bytes.slice(at + 1 + rng.below(100)));
        }
    }
  }
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** PNG chunks keep a valid CRC after a mutation of their data, so the decoder's own checks run. */
function fixPngCrcs(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = view.getUint32(at);
    if (at + 12 + length > bytes.length) return;
    view.setUint32(at + 8 + length, crc32(bytes.subarray(at + 4, at + 8 + length)));
    at += 12 + length;
  }
}

// ---------------------------------------------------------------- the three kinds of case

const IDX_NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

function writeIdxCase(rng: Random, base: string, dir: string): string {
  for (const name of IDX_NAMES) fs.copyFileSync(path.join(base, name), path.join(dir, name));
  const name = rng.pick(IDX_NAMES);
  const file = path.join(dir, name);
  let bytes: Uint8Array = mutateBytes(rng, fs.readFileSync(file), 4 + 4 * 3);
  if (rng.chance(0.4)) {
    bytes = gzipSync(bytes);
    if (rng.chance(0.4)) bytes = mutateBytes(rng, bytes, 24);
    fs.unlinkSync(file);
    fs.writeFileSync(`${file}.gz`, bytes);
  } else if (rng.chance(0.05)) {
    // A small bomb: a header for the whole training set, then far more zeros than it declares.
    fs.unlinkSync(file);
    const header = Uint8Array.of(0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28);
    fs.writeFileSync(`${file}.gz`, gzipSync(concat(header, new Uint8Array(64 * 1024 * 1024))));
  } else {
    fs.writeFileSync(file, bytes);
  }
  return dir;
}

function writeImageCase(rng: Random, base: string, dir: string): string {
  const source = rng.pick(fs.readdirSync(base));
  const isPng = source.endsWith('.png');
  const bytes = mutateBytes(rng, fs.readFileSync(path.join(base, source)), isPng ? 64 : 400);
  if (isPng && rng.chance(0.7)) fixPngCrcs(bytes);
  const file = path.join(dir, source);
  fs.writeFileSync(file, bytes);
  return file;
}

const JSON_VALUES: unknown[] = [null, 0, -1, 1e308, 'x', '', [], {}, true, [1, 2], '../weights.bin', '/dev/zero'];

/** Replaces, deletes or retypes one value somewhere in the manifest. */
function mutateJson(rng: Random, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return rng.pick(JSON_VALUES);
  const keys = Object.keys(value);
  if (keys.length === 0 || rng.chance(0.15)) return rng.pick(JSON_VALUES);
  const key = rng.pick(keys);
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
  if (rng.chance(0.1)) delete copy[key];
  else copy[key] = mutateJson(rng, copy[key]);
  return copy;
}

function writeModelCase(rng: Random, base: string, dir: string): string {
  const manifest = fs.readFileSync(path.join(base, 'model.json'), 'utf8');
  const weights = fs.readFileSync(path.join(base, 'weights.bin'));
  let json = manifest;
  let weightBytes: Uint8Array = weights;
  const what = rng.below(4);
  if (what === 0) json = JSON.stringify(mutateJson(rng, JSON.parse(manifest)));
  else if (what === 1) json = new TextDecoder().decode(mutateBytes(rng, new TextEncoder().encode(manifest), 200));
  else if (what === 2) weightBytes = mutateBytes(rng, weights, weights.length);
  else {
    json = JSON.stringify(mutateJson(rng, JSON.parse(manifest)));
    weightBytes = mutateBytes(rng, weights, weights.length);
  }
  fs.writeFileSync(path.join(dir, 'model.json'), json);
  fs.writeFileSync(path.join(dir, 'weights.bin'), weightBytes);
  return dir;
}

/** A Keras run folder (a real fixture run) with its event file or one of its snapshots mutated. */
function writeRunCase(rng: Random, base: string, dir: string): string {
  const source = path.join(base, rng.pick(fs.readdirSync(base)));
  const folder = path.join(dir, '.tensorlens', 'runs', path.basename(source));
  fs.cpSync(source, folder, { recursive: true });
  const eventsFile = path.join(folder, 'events.jsonl');
  const lines = fs.readFileSync(eventsFile, 'utf8').split('\n').slice(0, -1);
  const snapshotLines = lines.flatMap((line, i) => (line.includes('"type":"snapshot"') ? [i] : []));
  const what = rng.below(4);
  if (what === 0) {
    const at = rng.below(lines.length);
    lines[at] = JSON.stringify(mutateJson(rng, JSON.parse(lines[at])));
    fs.writeFileSync(eventsFile, `${lines.join('\n')}\n`);
  } else if (what === 1) {
    fs.writeFileSync(eventsFile, mutateBytes(rng, fs.readFileSync(eventsFile), 600));
  } else {
    // A snapshot's bytes, or its JSON header re-encoded with true sizes; its record then states the new size.
    const at = rng.pick(snapshotLines);
    const record = JSON.parse(lines[at]);
    const file = path.join(folder, record.file);
    const bytes = fs.readFileSync(file);
    let mutated: Uint8Array;
    if (what === 2) mutated = mutateBytes(rng, bytes, 64);
    else {
      const h = Number(bytes.readBigUInt64LE(8));
      const header = new TextEncoder().encode(
        JSON.stringify(mutateJson(rng, JSON.parse(bytes.subarray(24, 24 + h).toString()))),
      );
      const padded = concat(
        header,
        new Uint8Array(Math.ceil((24 + header.length) / 8) * 8 - 24 - header.length).fill(0x20),
      );
      const data = bytes.subarray(24 + h);
      const preamble = Buffer.from(bytes.subarray(0, 24));
      preamble.writeBigUInt64LE(BigInt(padded.length), 8);
      mutated = concat(concat(preamble, padded), data);
    }
    fs.writeFileSync(file, mutated);
    if (rng.chance(0.8)) lines[at] = JSON.stringify({ ...record, bytes: mutated.length });
    fs.writeFileSync(eventsFile, `${lines.join('\n')}\n`);
  }
  return dir;
}

/** A run read whole: every snapshot with all its values, each as long as its shape says. */
async function readWholeRun(target: string): Promise<void> {
  const { readRun, readSnapshot, runFoldersIn } = await import('../src/shared/node/runFiles');
  const { runListing } = await import('../src/shared/runFormat/summary');
  for (const folder of await runFoldersIn(target)) {
    const run = await readRun(folder, target);
    JSON.stringify(runListing(run.summary, run.state));
    for (const snapshot of run.summary.snapshots) {
      const names = new Set(run.summary.header?.model.weights.map((w) => w.name));
      const read = await readSnapshot(folder, snapshot, names);
      for (const weight of read.header.weights) {
        const values = read.values.get(weight.name);
        if (values !== undefined && values.length !== weight.count)
          throw new Error(`FUZZ: ${weight.name} read ${values.length} values, its shape says ${weight.count}`);
      }
    }
  }
}

// ---------------------------------------------------------------- child: runs one batch

async function runBatch(kind: Kind, seed: number, first: number, count: number, work: string): Promise<void> {
  const { loadMnist } = await import('../src/trainer/mnistLoader');
  const { loadDigitInput } = await import('../src/trainer/image');
  const { loadModel } = await import('../src/trainer/persist');
  const base = path.join(work, 'base', kind);
  for (let index = first; index < first + count; index++) {
    const dir = path.join(work, 'cases', `${kind}-${seed}-${index}`);
    fs.mkdirSync(dir, { recursive: true });
    process.stdout.write(`${JSON.stringify({ started: index, dir })}\n`);
    const rng = new Random(seed, kind, index);
    // Written outside the try: a fault of the fuzzer itself is a crash, not a finding.
    const target =
      kind === 'idx'
        ? writeIdxCase(rng, base, dir)
        : kind === 'image'
          ? writeImageCase(rng, base, dir)
          : kind === 'model'
            ? writeModelCase(rng, base, dir)
            : writeRunCase(rng, base, dir);
    const began = performance.now();
    let ok = true;
    let message = '';
    try {
      if (kind === 'idx') loadMnist(target);
      else if (kind === 'image') {
        const { input } = loadDigitInput(target);
        if (!input.every((v) => v >= 0 && v <= 1)) throw new Error('FUZZ: an input value outside [0, 1]');
      } else if (kind === 'model') (await loadModel(target)).dispose();
      else await readWholeRun(target);
    } catch (error) {
      ok = false;
      message = error instanceof Error ? error.message : `a thrown non-Error: ${String(error)}`;
    }
    const ms = performance.now() - began;
    const rssMB = process.memoryUsage().rss / 2 ** 20;
    const result: CaseResult = { index, ok, message, ms, rssMB, dir };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (violation(result) === null) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What is wrong with a finished case, or null. */
function violation(r: CaseResult): string | null {
  if (r.ms > TIME_LIMIT_MS) return `took ${Math.round(r.ms)} ms (limit ${TIME_LIMIT_MS})`;
  if (r.rssMB > MEMORY_LIMIT_MB) return `resident memory reached ${Math.round(r.rssMB)} MB (limit ${MEMORY_LIMIT_MB})`;
  if (r.ok) return null;
  if (r.message.startsWith('FUZZ: ')) return r.message.slice(6);
  if (/[\r\n]/.test(r.message)) return `a multi-line error: ${JSON.stringify(r.message.slice(0, 300))}`;
  if (!r.message.includes(r.dir))
    return `an error that does not name the file: ${JSON.stringify(r.message.slice(0, 300))}`;
  return null;
}

// ---------------------------------------------------------------- parent: bases, batches, verdict

async function prepareBases(work: string): Promise<void> {
  const { loadMnist } = await import('../src/trainer/mnistLoader');
  const { MNIST_PIXELS } = await import('../src/shared/mnist');
  const { writeDigitVariants } = await import('../test/support/digitImages');
  const { buildModel } = await import('../src/trainer/model');
  const { saveModel } = await import('../src/trainer/persist');
  // Production mode silences the cpu backend's "install tfjs-node" banner; the base model is tiny.
  (await import('@tensorflow/tfjs')).enableProdMode();
  const real = loadMnist();
  const idx = path.join(work, 'base', 'idx');
  fs.mkdirSync(idx, { recursive: true });
  const write = (name: string, dims: number[], data: Uint8Array) => {
    const header = new Uint8Array(4 + 4 * dims.length);
    header.set([0, 0, 8, dims.length]);
    dims.forEach((d, i) => new DataView(header.buffer).setUint32(4 + 4 * i, d));
    fs.writeFileSync(path.join(idx, name), concat(header, data));
  };
  write(IDX_NAMES[0], [40, 28, 28], real.train.images.subarray(0, 40 * MNIST_PIXELS));
  write(IDX_NAMES[1], [40], real.train.labels.subarray(0, 40));
  write(IDX_NAMES[2], [20, 28, 28], real.test.images.subarray(0, 20 * MNIST_PIXELS));
  write(IDX_NAMES[3], [20], real.test.labels.subarray(0, 20));
  writeDigitVariants(
    path.join(work, 'base', 'image'),
    [0, 1],
    ['png', 'jpeg', 'palette', 'gray16', 'alpha', 'jpeg-exif-rotated'],
  );
  const model = buildModel(16, 1);
  await saveModel(model, path.join(work, 'base', 'model'));
  model.dispose();
  // Real Keras runs (TensorFlow and JAX, written by the tensorlens callback), ended ones.
  const runs = path.join(__dirname, '..', 'test', 'fixtures', 'keras-runs', '.tensorlens', 'runs');
  for (const id of fs.readdirSync(runs).filter((id) => /-(dense-tf|conv-jax)-/.test(id)))
    fs.cpSync(path.join(runs, id), path.join(work, 'base', 'run', id), { recursive: true });
}

function runChild(kind: Kind, seed: number, first: number, count: number, work: string): Promise<string[]> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', __filename, '--child', kind, String(seed), String(first), String(count), work],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const budget = setTimeout(() => child.kill('SIGKILL'), 20_000 + count * TIME_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(budget);
      const problems: string[] = [];
      const lines = out
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l));
      for (const r of lines.filter((l): l is CaseResult => 'ok' in l)) {
        const v = violation(r);
        if (v) problems.push(report(kind, seed, r.index, r.dir, v));
      }
      const started = lines.filter((l) => 'started' in l);
      const finished = new Set(lines.filter((l) => 'ok' in l).map((l) => l.index));
      const last = started[started.length - 1];
      if ((code !== 0 || signal) && last && !finished.has(last.started)) {
        const how =
          signal === 'SIGKILL' ? 'hung or ran past the time budget (killed)' : `crashed (${signal ?? `exit ${code}`})`;
        problems.push(
          report(kind, seed, last.started, last.dir, `${how}: ${err.trim().split('\n').slice(-3).join(' | ')}`),
        );
      } else if (code !== 0 || signal) problems.push(`${kind} batch from ${first}: the child failed: ${err.trim()}`);
      resolve(problems);
    });
  });
}

function report(kind: Kind, seed: number, index: number, dir: string, what: string): string {
  return `${kind} case ${index}: ${what}\n  input kept in ${dir}\n  replay: npm run fuzz -- --only ${kind} --seed ${seed} --case ${index}`;
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const [, kind, seed, first, count, work] = args;
    return runBatch(kind as Kind, Number(seed), Number(first), Number(count), work);
  }
  const seed = Number(option(args, '--seed') ?? Date.now() % 100000);
  const quick = args.includes('--quick');
  const total = Number(option(args, '--cases') ?? (quick ? 900 : 3000));
  const only = option(args, '--only');
  const single = option(args, '--case');
  const kinds = KINDS.filter((k) => only === undefined || k === only);
  if (kinds.length === 0 || !Number.isInteger(seed) || !(total > 0)) {
    process.stderr.write(
      'usage: npm run fuzz -- [--seed N] [--cases N] [--quick] [--only idx|image|model|run] [--case I]\n',
    );
    process.exit(2);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tensor-lens-fuzz-'));
  await prepareBases(work);
  const began = Date.now();
  const problems: string[] = [];
  let cases = 0;
  for (const kind of kinds) {
    const perKind = single !== undefined ? 1 : Math.ceil(total / kinds.length);
    const first = single !== undefined ? Number(single) : 0;
    const batches: Promise<string[]>[] = [];
    for (let start = first; start < first + perKind; start += BATCH_SIZE) {
      batches.push(runChild(kind, seed, start, Math.min(BATCH_SIZE, first + perKind - start), work));
      // Two children at a time: the machine's two cores.
      if (batches.length === 2) problems.push(...(await Promise.all(batches.splice(0))).flat());
    }
    problems.push(...(await Promise.all(batches)).flat());
    cases += perKind;
  }
  const seconds = ((Date.now() - began) / 1000).toFixed(0);
  if (problems.length > 0) {
    process.stdout.write(`fuzz: ${problems.length} violation(s) in ${cases} cases (seed ${seed}, ${seconds} s):\n`);
    process.stdout.write(`${problems.join('\n')}\n`);
    process.exit(1);
  }
  fs.rmSync(work, { recursive: true, force: true });
  process.stdout.write(
    `fuzz: ${cases} cases (${kinds.join(', ')}), seed ${seed}, ${seconds} s: every one a result or one error line\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
