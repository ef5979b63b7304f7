// `node dist/cli.js train --json` as a user runs it, plus flags, with the model saved to a
// temporary folder that is removed afterwards: the JSON lines it printed. Asynchronous, so
// several can run at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type CliLine = Record<string, unknown> & { event: string };

export async function cliTrain(flags: string[]): Promise<CliLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tensor-lens-bench-'));
  try {
    const args = [resolve('dist/cli.js'), 'train', '--json', '--model-dir', join(dir, 'model'), ...flags];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (code !== 0) throw new Error(`cli train ${flags.join(' ')} failed: ${stderr.trim().split('\n').pop()}`);
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as CliLine);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
