// Every error the host shows or logs reaches a person as one line (src/shared/errors.ts): a file
// name holding a newline or an escape sequence cannot print a second line. The host's sources never
// take an error's raw message; they pass the error through errorLine (or messageOf, then oneLine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

const hostDir = path.resolve(__dirname, '../../../src/extension');

test("the host never shows or logs an error's raw message (it goes through errorLine)", () => {
  const raw: string[] = [];
  for (const name of readdirSync(hostDir).filter((n) => n.endsWith('.ts'))) {
    readFileSync(path.join(hostDir, name), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/\(\w+ as Error\)\.message/.test(line)) raw.push(`${name}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(raw, []);
});
