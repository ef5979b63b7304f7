// Finds the native engine that Install Native TensorFlow put in the extension's global storage (the
// host names its folder in TENSOR_LENS_NATIVE_DIR): usable only when complete (its manifest), built
// for this extension's tfjs, and when its `require('@tensorflow/tfjs')` reaches the very tfjs the
// trainer runs (the host puts the extension's dist/node_modules, where its tfjs is, on NODE_PATH); else
// one line says why.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { asInstalledManifest, INSTALLED_MANIFEST, type InstalledManifest } from '../shared/nativeEngine';

export type InstalledEngine =
  | { kind: 'none' }
  /** Installed, but not for this trainer: `why` is the one line that says so. */
  | { kind: 'ignored'; why: string }
  | { kind: 'usable'; tfjsNode: string; manifest: InstalledManifest };

/** Our own small file: anything larger is not it. */
const MAX_MANIFEST_BYTES = 4096;

/** `resolveTfjs(from)`: where `require('@tensorflow/tfjs')` leads from that folder (the trainer's own when `from` is null). */
export function findInstalledEngine(
  folder: string | undefined,
  tfjsVersion: string,
  resolveTfjs: (from: string | null) => string | null,
): InstalledEngine {
  if (!folder) return { kind: 'none' };
  const file = path.join(folder, INSTALLED_MANIFEST);
  const stats = fs.statSync(file, { throwIfNoEntry: false });
  if (!stats) return { kind: 'none' };
  const again = 'run MNIST: Install Native TensorFlow… again';
  let manifest: InstalledManifest | null = null;
  if (stats.isFile() && stats.size <= MAX_MANIFEST_BYTES) {
    try {
      manifest = asInstalledManifest(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch {
      manifest = null;
    }
  }
  if (!manifest) return { kind: 'ignored', why: `${file} is not an install manifest of Tensor Lens: ${again}` };
  if (manifest.tfjs !== tfjsVersion) {
    return {
      kind: 'ignored',
      why: `native TensorFlow in ${folder} was installed for tfjs ${manifest.tfjs}, this Tensor Lens runs tfjs ${tfjsVersion}: ${again}`,
    };
  }
  const tfjsNode = path.join(folder, 'node_modules', '@tensorflow', 'tfjs-node');
  const theirs = resolveTfjs(tfjsNode);
  const ours = resolveTfjs(null);
  if (theirs === null || theirs !== ours) {
    const where = theirs === null ? 'no @tensorflow/tfjs' : `a second tfjs (${theirs})`;
    return {
      kind: 'ignored',
      why: `native TensorFlow in ${folder} would load ${where}, not the trainer's: NODE_PATH must name the extension's dist/node_modules`,
    };
  }
  return { kind: 'usable', tfjsNode, manifest };
}

/** Node's own resolution (NODE_PATH included), as a real path: one file, one module instance. */
export function resolveTfjs(from: string | null): string | null {
  try {
    const file =
      from === null ? require.resolve('@tensorflow/tfjs') : require.resolve('@tensorflow/tfjs', { paths: [from] });
    return fs.realpathSync(file);
  } catch {
    return null;
  }
}
