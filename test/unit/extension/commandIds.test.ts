// The command ids the code uses are exactly the ones the manifest contributes (and its menus name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { commandIds } from '../../../src/extension/commandIds';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
};

test('commandIds: one id per contributed command, no more, no fewer', () => {
  assert.deepEqual(Object.values(commandIds).sort(), manifest.contributes.commands.map((c) => c.command).sort());
});

test('commandIds: every menu entry names a known command', () => {
  const known = new Set<string>(Object.values(commandIds));
  const menuCommands = Object.values(manifest.contributes.menus).flatMap((entries) => entries.map((e) => e.command));
  assert.deepEqual(
    menuCommands.filter((c) => !known.has(c)),
    [],
  );
});
