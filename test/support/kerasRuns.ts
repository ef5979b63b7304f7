// The real Keras runs in test/fixtures/keras-runs (written by test/support/make_keras_runs.py with the
// tensorlens callback), copied where a test may change them, and a snapshot encoder for hostile ones.
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { tempDir } from './tempDir';
import { REPO_ROOT } from './trainer';

export const FIXTURE_BASE = path.join(REPO_ROOT, 'test', 'fixtures', 'keras-runs');
export const FIXTURE_NAMES = ['dense-tf', 'conv-jax', 'failed-tf', 'killed-jax'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** The folder of the fixture run named `name` (its header's `name`) under `base`. */
export function runFolder(base: string, name: FixtureName): string {
  const runs = path.join(base, '.tensorlens', 'runs');
  const folder = fs.readdirSync(runs).find((id) => id.includes(`-${name}-`));
  if (folder === undefined) throw new Error(`no fixture run ${name} under ${runs}`);
  return path.join(runs, folder);
}

/** The event file's lines (without their newlines). */
export function eventLines(folder: string): string[] {
  return fs.readFileSync(path.join(folder, 'events.jsonl'), 'utf8').split('\n').slice(0, -1);
}

/**
 * The fixtures in a fresh temp folder. The killed run's header names the machine that wrote it;
 * here it names this one, so §4's rule applies on any machine: its pid is gone, or (reused) started
 * at another time, or the boot id differs — `died` either way, as it was on the writer's machine.
 */
export function copyFixtures(name = 'keras-runs'): string {
  const base = tempDir(name);
  fs.cpSync(FIXTURE_BASE, base, { recursive: true });
  const killed = path.join(runFolder(base, 'killed-jax'), 'events.jsonl');
  const [header, ...rest] = fs.readFileSync(killed, 'utf8').split('\n');
  const parsed = JSON.parse(header);
  parsed.process.host = hostname();
  fs.writeFileSync(killed, [JSON.stringify(parsed), ...rest].join('\n'));
  return base;
}

/** A snapshot file per docs/run-format.md §3: preamble, header padded to 8, data. */
export function encodeSnapshot(
  header: object,
  data: Uint8Array,
  lie: { headerBytes?: bigint; dataBytes?: bigint } = {},
): Buffer {
  let json = Buffer.from(JSON.stringify(header));
  const padded = Math.ceil((24 + json.length) / 8) * 8 - 24;
  json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)]);
  const preamble = Buffer.alloc(24);
  preamble.write('TLSNAP1\n', 0, 'latin1');
  preamble.writeBigUInt64LE(lie.headerBytes ?? BigInt(json.length), 8);
  preamble.writeBigUInt64LE(lie.dataBytes ?? BigInt(data.length), 16);
  return Buffer.concat([preamble, json, data]);
}

/** A real snapshot file's header and data section. */
export function decodeSnapshot(file: string): {
  header: Record<string, unknown> & { weights: Record<string, unknown>[] };
  data: Buffer;
} {
  const bytes = fs.readFileSync(file);
  const h = Number(bytes.readBigUInt64LE(8));
  return { header: JSON.parse(bytes.subarray(24, 24 + h).toString('utf8')), data: bytes.subarray(24 + h) };
}
