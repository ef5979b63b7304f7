// A Keras run's name, and why it is shown as it is (the Runs view's tooltip line), in English and in Korean through the
// real bundle: a run whose files are at fault says so in the display language, naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kerasRunName, kerasRunReason } from '../../../src/extension/kerasRunWords';
import type { KerasRun } from '../../../src/extension/kerasRuns';
import { FAULT_WORDING, faultOf, localizeFaults } from '../../../src/shared/faults';
import { readRun } from '../../../src/shared/node/runFiles';
import { emptyRunSummary } from '../../../src/shared/runFormat/summary';
import { copyFixtures, eventLines, runFolder } from '../../support/kerasRuns';
import { bundleKo, englishL10n as english, koreanL10n as korean } from '../../support/l10nBundles';

const koreanFaults = localizeFaults((english) => bundleKo[english] ?? english);

/** A real fixture run whose event file's header says format version 2, read by the real reader. */
async function unreadableRun(): Promise<KerasRun> {
  const base = copyFixtures();
  const folder = runFolder(base, 'dense-tf');
  const [header, ...rest] = eventLines(folder);
  fs.writeFileSync(
    path.join(folder, 'events.jsonl'),
    [JSON.stringify({ ...JSON.parse(header), version: 2 }), ...rest, ''].join('\n'),
  );
  const error = await readRun(folder, base).then(
    () => assert.fail('a version 2 run was read'),
    (e: unknown) => e,
  );
  return {
    folder,
    summary: emptyRunSummary('r'),
    state: 'running',
    fault: faultOf(error),
    snapshot: null,
    history: [],
  };
}

test('an unreadable run: the tooltip says why in Korean under a Korean wording, and in English otherwise', async () => {
  const run = await unreadableRun();
  const file = path.join(run.folder, 'events.jsonl');
  const en = kerasRunReason(run, english, FAULT_WORDING);
  assert.equal(en, `${file}: line 1: a header record: format version 2 is not supported (this reader knows version 1)`);
  const ko = kerasRunReason(run, korean, koreanFaults);
  assert.ok(ko?.startsWith(`${file}: `), ko ?? 'null');
  assert.match(ko ?? '', /1번째 줄/);
  assert.match(ko ?? '', /지원/);
  assert.doesNotMatch(ko ?? '', /line|record|supported|reader/, 'no English left');
});

test("a failed run's reason is its error as Keras wrote it; a died one's is worded in the display language", async () => {
  const base = copyFixtures();
  const failed = await readRun(runFolder(base, 'failed-tf'), base);
  const died = await readRun(runFolder(base, 'killed-jax'), base);
  const asRun = (read: typeof failed): KerasRun => ({ ...read, fault: null, snapshot: null, history: [] });
  assert.match(kerasRunReason(asRun(failed), korean, koreanFaults) ?? '', /Error: /);
  assert.equal(died.state, 'died');
  assert.equal(
    kerasRunReason(asRun(died), korean, koreanFaults),
    bundleKo['no end record, and the process that wrote it is gone'],
  );
});

test("a run's name is its header's, else its id", async () => {
  const base = copyFixtures();
  const dense = await readRun(runFolder(base, 'dense-tf'), base);
  assert.equal(kerasRunName(dense), 'dense-tf');
  assert.equal(kerasRunName({ summary: emptyRunSummary('run-id') }), 'run-id');
});
