// Screenshots every panel in a dark and a light theme with headless Chromium, lists console
// messages and CSP violations per panel, and prints the dashboard's render time per animation
// frame once ~2,000+ batch points are drawn.
// Usage: node scripts/build.mjs --only webview && node --import tsx test/webview-harness/shoot.mts [outDir]
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './server.mts';

const out = process.argv[2] ?? '/tmp/tensor-lens-shots';
mkdirSync(out, { recursive: true });
let report: (body: string) => void = () => {};
const reported = new Promise<string>((resolve) => (report = resolve));
const { server, url } = await startServer(0, (body) => report(body));

const shots: [string, string, string, number][] = [
  // name, panel, query, height
  ['dashboard', 'dashboard', '', 2600],
  ['tensor-kernel', 'tensor', 'tensor=softmax/kernel', 1900],
  ['tensor-slice', 'tensor', 'tensor=train_images&slice=4', 1100],
  ['dataset', 'dataset', 'predictions=1&state={"split":"test","selected":8}', 900],
  ['dataset-train', 'dataset', '', 900],
  ['dashboard-switched', 'dashboard', 'switch=1', 1300],
  ['prediction', 'prediction', 'index=0', 800],
  ['prediction-nomodel', 'prediction', 'nomodel=1', 300],
];
// Asynchronous: the harness server answers from this same process while Chromium loads the page.
const chromium = async (args: string[]): Promise<string> =>
  (
    await promisify(execFile)(
      'chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--virtual-time-budget=20000', ...args],
      { encoding: 'utf8', timeout: 180_000, maxBuffer: 64 << 20 },
    )
  ).stdout;

for (const theme of ['dark', 'light']) {
  for (const [name, panel, query, height] of shots) {
    const page = `${url}/harness/${panel}.html?theme=${theme}&${query}`;
    await chromium([`--window-size=1100,${height}`, `--screenshot=${join(out, `${name}-${theme}.png`)}`, page]);
    console.log(`${name}-${theme}.png`);
  }
}
// Console messages and CSP reports (a blocked inline style or script shows up here).
for (const [name, panel, query] of shots) {
  const { stderr } = await promisify(execFile)(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--enable-logging=stderr',
      '--v=0',
      '--virtual-time-budget=8000',
      '--dump-dom',
      `${url}/harness/${panel}.html?${query}`,
    ],
    { maxBuffer: 64 << 20 },
  );
  const reports = stderr.split('\n').filter((line) => /CONSOLE|Content Security Policy|Refused/.test(line));
  console.log(`${name}: ${reports.length === 0 ? 'no console messages, no CSP violations' : reports.join('\n  ')}`);
}

// Render cost in real time (virtual time freezes the page's clocks): a headless Chromium that stays
// up until the page reports its frame timings, then is stopped.
const browser = spawn(
  'chromium',
  [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--remote-debugging-port=0',
    '--window-size=1100,1400',
    `${url}/harness/dashboard.html?theme=dark&report=1&validation=0`,
  ],
  { stdio: 'ignore' },
);
const timings = await Promise.race([
  reported,
  new Promise<string>((resolve) => setTimeout(() => resolve('no report within 90 s'), 90_000)),
]);
browser.kill();
console.log('dashboard render per frame once ≥ 2,000 of the 2,345 batch points are drawn:', timings);
server.close();
