// A static server for the webview harness: the host's HTML shell (plus a stub acquireVsCodeApi and
// VS Code-like theme variables), the built bundles, and the fixture messages as JSON.
import { FAULT_WORDING } from '../../src/shared/faults';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { PANEL_KINDS } from '../../src/extension/panelKinds';
import { webviewHtml } from '../../src/extension/webviewHtml';
import type { PanelKind } from '../../src/shared/webviewProtocol';
import { WEBVIEW_STRINGS_EN } from '../../src/shared/webviewStrings';
import { Fixtures } from './fixtures.mts';

const ROOT = join(import.meta.dirname, '../..');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
  '.map': 'application/json',
  '.png': 'image/png',
};

/** JSON with typed arrays tagged and base64-encoded (the stub decodes them). The holder's own
 *  value is read, not `v`: a Buffer (what the shared MNIST loader returns) has already been
 *  turned into {type: 'Buffer', data} by its toJSON. */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Float32Array)
      return {
        $typed: 'Float32Array',
        b64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64'),
      };
    if (raw instanceof Uint8Array)
      return { $typed: 'Uint8Array', b64: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    return v;
  });
}

/**
 * The production shell (src/extension/webviewHtml.ts, same CSP) with what the harness adds: VS
 * Code's theme variables, the stub acquireVsCodeApi (which fetches fixtures from this server, hence
 * connect-src) loaded before the panel's bundle, and the theme class VS Code puts on <body>.
 */
function shell(kind: PanelKind, theme: string): string {
  const nonce = 'harness';
  const html = webviewHtml(
    kind,
    {
      // The English title (the harness translates nothing).
      title: PANEL_KINDS[kind].title({
        t: (m: string | { message: string }) => (typeof m === 'string' ? m : m.message),
      }),
      cspSource: "'self'",
      commonCss: '/media/webview/common.css',
      panelCss: `/media/webview/${kind}.css`,
      script: `/dist/webview/${kind}.js`,
      strings: WEBVIEW_STRINGS_EN,
      faults: FAULT_WORDING,
      language: 'en',
    },
    nonce,
  );
  const additions: [string, string][] = [
    ["script-src 'nonce-", "connect-src 'self'; script-src 'nonce-"],
    ['<link rel="stylesheet"', '<link rel="stylesheet" href="/test/webview-harness/themes.css"><link rel="stylesheet"'],
    ['<body ', `<body class="vscode-${theme}" `],
    [
      `<script nonce="${nonce}"`,
      `<script nonce="${nonce}" src="/test/webview-harness/stub.js"></script><script nonce="${nonce}"`,
    ],
  ];
  return additions.reduce((page, [anchor, replacement]) => {
    if (!page.includes(anchor)) throw new Error(`the webview shell changed: no ${anchor} to extend`);
    return page.replace(anchor, replacement);
  }, html);
}

export function startServer(
  port = 0,
  onReport: (body: string) => void = console.log,
): Promise<{ server: Server; url: string }> {
  const fixtures = new Fixtures();
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/api/report') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        res.end();
        onReport(body);
      });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (body: string | Buffer, type: string): void => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    const q = (name: string): string | null => url.searchParams.get(name);
    try {
      const page = /^\/harness\/(dashboard|tensor|dataset|prediction)\.html$/.exec(url.pathname);
      if (page) return send(shell(page[1] as PanelKind, q('theme') ?? 'dark'), 'text/html');
      if (url.pathname === '/api/dashboard')
        return send(encode(fixtures.dashboard(q('validation') !== '0')), 'application/json');
      if (url.pathname === '/api/datasetInfo')
        return send(encode(fixtures.datasetInfo(q('predictions') === '1')), 'application/json');
      if (url.pathname === '/api/samples')
        return send(
          encode(fixtures.samples(q('split') === 'test' ? 'test' : 'train', Number(q('start')), Number(q('count')))),
          'application/json',
        );
      if (url.pathname === '/api/tensor')
        return send(
          encode(fixtures.tensor(q('name') ?? 'softmax/kernel', q('slice') === null ? null : Number(q('slice')))),
          'application/json',
        );
      if (url.pathname === '/api/prediction')
        return send(
          encode(q('nomodel') === '1' ? { type: 'noModel' } : fixtures.prediction(Number(q('index') ?? 0))),
          'application/json',
        );
      const file = normalize(url.pathname).replace(/^\/+/, '');
      if (!/^(dist\/webview|media\/webview|test\/webview-harness)\//.test(file)) throw new Error('not served');
      return send(readFileSync(join(ROOT, file)), TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}` });
    }),
  );
}

if (process.argv[1] === import.meta.filename) {
  const { url } = await startServer(Number(process.env.PORT ?? 8765));
  console.log(`harness at ${url}/harness/dashboard.html?theme=dark`);
}
