// Every relative link and picture in the project's Markdown points at a file that exists, and every
// `#anchor` at a heading that exists: the README is the Marketplace page (vsce rewrites its relative
// links to the repository on GitHub), and the developer pages link on to each other, so a moved or
// renamed section must not leave a dead link behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../../..');

/** The Markdown files checked: the front page, the developers' guide, docs/, and the other READMEs. */
function markdownFiles(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name));
  return ['README.md', 'CONTRIBUTING.md', ...docs, 'python/README.md', 'test/e2e/README.md'];
}

interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly image: boolean;
}

/** The text outside fenced code blocks, line by line (a link inside ``` is an example, not a link). */
function proseLines(markdown: string): Array<{ line: number; text: string }> {
  let fenced = false;
  const lines: Array<{ line: number; text: string }> = [];
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*```/.test(text)) fenced = !fenced;
    else if (!fenced && !/^ {4}/.test(text)) lines.push({ line: index + 1, text });
  });
  return lines;
}

/** Inline links and images, `[text](target)` and `![alt](target "title")`, outside code spans. */
function linksOf(file: string, markdown: string): Link[] {
  return proseLines(markdown).flatMap(({ line, text }) => {
    const withoutCode = text.replace(/`[^`]*`/g, '');
    return [...withoutCode.matchAll(/(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => ({
      file,
      line,
      target: match[2],
      image: match[1] === '!',
    }));
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (letters of any script kept), spaces → '-'. */
function headingSlug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a file's headings make, a repeated heading numbered as GitHub does (`x`, `x-1`, …). */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const slug = headingSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** What is wrong with one link ('' when nothing is): a missing file, or an anchor no heading makes. */
function brokenReason(link: Link): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return ''; // https:, mailto: — not checked offline
  const [filePart, anchor] = link.target.split('#', 2);
  const target = filePart === '' ? link.file : path.join(path.dirname(link.file), decodeURIComponent(filePart));
  const absolute = path.join(ROOT, target);
  if (!existsSync(absolute)) return `${target} does not exist`;
  if (anchor === undefined || !target.endsWith('.md')) return '';
  return anchorsOf(readFileSync(absolute, 'utf8')).has(decodeURIComponent(anchor))
    ? ''
    : `${target} has no heading for #${anchor}`;
}

test('the slugs follow GitHub: punctuation dropped, Korean kept, repeats numbered', () => {
  assert.equal(headingSlug('What happens when…'), 'what-happens-when');
  assert.equal(headingSlug('한국어 (Korean)'), '한국어-korean');
  assert.equal(headingSlug('Remote: Remote-SSH, containers, Codespaces'), 'remote-remote-ssh-containers-codespaces');
  assert.equal(headingSlug('The `tensorLens.*` settings'), 'the-tensorlens-settings');
  assert.deepEqual([...anchorsOf('# A\n\n## B\n\n```\n# not a heading\n```\n\n## B\n')], ['a', 'b', 'b-1']);
});

test('a broken link or anchor is found (the check can fail)', () => {
  const links = linksOf(
    'README.md',
    '[gone](docs/no-such-page.md) ![x](docs/screenshots/none.png) [a](#no-such-heading)',
  );
  assert.deepEqual(links.map(brokenReason), [
    'docs/no-such-page.md does not exist',
    'docs/screenshots/none.png does not exist',
    'README.md has no heading for #no-such-heading',
  ]);
  assert.deepEqual(linksOf('x.md', 'see `[not](a-link)` and\n```\n[nor](this)\n```\n'), []);
});

test('every relative link and picture in the Markdown points at an existing file and heading', () => {
  const links = markdownFiles().flatMap((file) => linksOf(file, readFileSync(path.join(ROOT, file), 'utf8')));
  assert.ok(links.length > 20, `only ${links.length} links found: the link pattern is broken`);
  const broken = links.flatMap((link) => {
    const reason = brokenReason(link);
    return reason ? [`${link.file}:${link.line}: (${link.target}) ${reason}`] : [];
  });
  assert.deepEqual(broken, []);
});

test("the README's pictures are PNGs under docs/screenshots (vsce refuses SVG on the Marketplace page)", () => {
  const images = linksOf('README.md', readFileSync(path.join(ROOT, 'README.md'), 'utf8')).filter((l) => l.image);
  assert.ok(images.length > 0);
  for (const image of images) assert.match(image.target, /^docs\/screenshots\/[\w-]+\.png$/, `README.md:${image.line}`);
});

test("the README's Develop section keeps the two fresh-machine commands, and .ci/run runs the test one", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const develop = /\n## Develop\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1] ?? '';
  assert.match(develop, /\n {4}npm ci && npm run train\n/, 'the main job');
  assert.match(develop, /\n {4}npm ci && npm test\n/, 'the tests');
  const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
  assert.match(ci, /^npm ci\b/m);
  assert.match(ci, /^npm test$/m);
});
