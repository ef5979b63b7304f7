// `runs [DIR] [--json]`: the Keras runs under DIR/.tensorlens/runs/ (docs/run-format.md), read by
// the same reader as the extension (src/shared/node/runFiles.ts). A run that cannot be read costs
// one `error: <file>: <fault>` line on stderr and its entry; the others are still listed.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { errorLine, oneLine } from '../shared/errors';
import { formatNumber } from '../shared/format';
import { type RunListing, runListing } from '../shared/runFormat/summary';
import { readRun, runFoldersIn } from '../shared/node/runFiles';
import { UntrustedFileError, fsFault } from '../shared/node/untrustedFile';
import { jsonText } from './cliReport';

export interface RunsOutput {
  write(text: string): void;
  error(text: string): void;
}

/** The last epoch's metrics in a few characters each: `loss 1.126  val_loss 1.087`. */
function metricsText(metrics: RunListing['lastMetrics']): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${typeof value === 'number' ? formatNumber(value) : String(value)}`)
    .join('  ');
}

/** One aligned table: run, state, backend, epochs (done/planned), batches, last metrics or error. */
function table(listings: RunListing[]): string {
  const rows = [
    ['RUN', 'STATE', 'BACKEND', 'EPOCHS', 'BATCHES', 'LAST EPOCH'],
    ...listings.map((run) => [
      run.id,
      run.state,
      run.backend ?? '?',
      run.epochsPlanned === null ? String(run.epochs) : `${run.epochs}/${run.epochsPlanned}`,
      String(run.batches),
      run.error === null ? metricsText(run.lastMetrics) : `${metricsText(run.lastMetrics)}  (${run.error})`.trim(),
    ]),
  ].map((row) => row.map(oneLine));
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '))
    .join('\n');
}

/** Lists the runs; exit code 0, or 1 when a run (or the folder) could not be read. */
export async function listRuns(dir: string, json: boolean, out: RunsOutput): Promise<number> {
  let folders: string[];
  try {
    const stats = await stat(dir).catch((error: unknown) => {
      throw new UntrustedFileError(dir, fsFault(error));
    });
    if (!stats.isDirectory()) throw new UntrustedFileError(dir, { kind: 'fileNotFolder' });
    folders = await runFoldersIn(dir);
  } catch (error) {
    out.error(`error: ${errorLine(error)}\n`);
    return 1;
  }
  const listings: RunListing[] = [];
  let faults = 0;
  for (const folder of folders) {
    try {
      const run = await readRun(folder, dir);
      listings.push(runListing(run.summary, run.state));
    } catch (error) {
      faults++;
      out.error(`error: ${errorLine(error)}\n`);
    }
  }
  if (json) for (const listing of listings) out.write(`${jsonText(listing)}\n`);
  else if (listings.length > 0) out.write(`${table(listings)}\n`);
  else if (faults === 0) out.write(`no runs in ${oneLine(path.join(dir, '.tensorlens', 'runs'))}\n`);
  return faults === 0 ? 0 : 1;
}
