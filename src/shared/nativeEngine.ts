// The native TensorFlow engine that MNIST: Install Native TensorFlow… puts in the extension's global
// storage (scripts/nativeEngine.mjs does the work, in a child process): the names the host, the
// trainer and the installer agree on.

/** The environment variable by which the host tells the trainer where the installed engine is. */
export const NATIVE_DIR_ENV = 'TENSOR_LENS_NATIVE_DIR';
/** Its folder inside the extension's global storage (an update of the extension keeps it). */
export const NATIVE_FOLDER = 'native';
/** Written last by the installer (scripts/nativeEngine.mjs INSTALLED_MANIFEST): an install without it is not complete. */
export const INSTALLED_MANIFEST = 'tensor-lens-native.json';

/** What the manifest records: the versions the engine was built for. */
export interface InstalledManifest {
  tfjsNode: string;
  /** The tfjs it registers into: tfjs-node pins it exactly, so the extension's must be this one. */
  tfjs: string;
  /** The TensorFlow C library (PyPI's tensorflow-cpu wheel) its addon runs. */
  tensorflow: string;
  wheel: string;
}

const VERSION = /^\d+\.\d+\.\d+$/;

/** The manifest if `value` is one (the file is checked, not trusted), else null. */
export function asInstalledManifest(value: unknown): InstalledManifest | null {
  if (typeof value !== 'object' || value === null) return null;
  const { tfjsNode, tfjs, tensorflow, wheel } = value as Record<string, unknown>;
  const versions = [tfjsNode, tfjs, tensorflow].every((v) => typeof v === 'string' && VERSION.test(v));
  if (!versions || typeof wheel !== 'string' || wheel.length > 200) return null;
  return { tfjsNode, tfjs, tensorflow, wheel } as InstalledManifest;
}
