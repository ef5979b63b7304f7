// No import circle inside src/shared or src/trainer, type-only imports included: a file never
// imports one that imports it back, directly or through others. Read with the TypeScript
// compiler's own import scanner, so every form (import type, export … from, import()) counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The files of `files` that `file` imports (relative specifiers resolved to .ts or index.ts). */
function importsOf(file: string, files: Set<string>): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    if (!fileName.startsWith('.')) return [];
    const base = path.resolve(path.dirname(file), fileName);
    const target = [`${base}.ts`, path.join(base, 'index.ts'), base].find((f) => files.has(f) && existsSync(f));
    return target ? [target] : [];
  });
}

/**
 * The files under `dir` that import one another in a circle, one group per strongly connected
 * component (Tarjan), each with one circle through it as a path a → b → … → a.
 */
export function importCircles(dir: string): { files: string[]; circle: string[] }[] {
  const files = new Set(sourceFiles(dir));
  const edges = new Map([...files].map((f) => [f, importsOf(f, files)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || edges.get(file)!.includes(file)) components.push(component);
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  const relative = (list: string[]) => list.map((f) => path.relative(ROOT, f));
  // One circle through each component: breadth-first from its first file back to it.
  const circleThrough = (component: string[]): string[] => {
    const inside = new Set(component);
    const start = component[0];
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const next of edges.get(file)!.filter((f) => inside.has(f))) {
        if (next === start) {
          const circle = [start];
          for (let at = file; at !== start; at = cameFrom.get(at)!) circle.unshift(at);
          circle.unshift(start);
          return circle;
        }
        if (!cameFrom.has(next)) {
          cameFrom.set(next, file);
          queue.push(next);
        }
      }
    }
    return [start, start];
  };
  return components.map((c) => ({ files: relative(c).sort(), circle: relative(circleThrough(c)) }));
}

for (const part of ['src/shared', 'src/trainer']) {
  test(`${part}: no import circle, type-only imports included`, () => {
    const circles = importCircles(path.join(ROOT, part));
    assert.deepEqual(
      circles.map(({ files, circle }) => `${circle.join(' → ')} (the tangle: ${files.join(', ')})`),
      [],
    );
  });
}
