// The extension's Install Native TensorFlow command runs this (bundled as dist/nativeSetup.js, which
// the .vsix ships; scripts/ it does not) in a child process of its own: the setup of
// scripts/nativeEngine.mjs into a folder of the extension's global storage, where an update of the
// extension does not remove it. It speaks one JSON object a line on stdout (parsed by parseSetupLine
// in src/extension/nativeInstaller.ts; `protocol` is its version, SETUP_PROTOCOL there); stderr is
// for people (the log).
// Usage: node dist/nativeSetup.js --storage <folder> --tfjs-modules <the extension's dist/node_modules>
import { setupNative, storageSite } from './nativeEngine.mjs';
import { stopChildrenWhenStopped } from './tensorflowWheel.mjs';

const PROTOCOL = 1;
const say = (message) => process.stdout.write(`${JSON.stringify({ protocol: PROTOCOL, ...message })}\n`);

function option(name) {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? process.argv[at + 1] : undefined;
  if (!value) throw Object.assign(new Error(`${name} <folder> is missing`), { fault: 'usage' });
  return value;
}

async function step(id, work) {
  say({ type: 'step', step: id, phase: 'start' });
  const started = performance.now();
  const outcome = await work();
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  say({ type: 'step', step: id, phase: 'done', outcome: String(outcome), seconds });
}

async function main() {
  const started = performance.now();
  stopChildrenWhenStopped('nativeSetup');
  const folder = option('--storage');
  await setupNative(storageSite(folder, option('--tfjs-modules')), step);
  say({ type: 'installed', folder, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) });
}

main().catch((e) => {
  // One line even for the unforeseen (a file system error names its path in its message).
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  say({ type: 'failed', fault: typeof e?.fault === 'string' ? e.fault : 'other', message });
  process.exitCode = 1;
});
