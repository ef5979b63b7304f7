// Starts code-server (a real VS Code: workbench served to the browser, extension host on this
// machine) in its own process group on 127.0.0.1 and a free port, and stops the whole group.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server not healthy at ${url} after ${timeoutMs} ms`);
}

export async function startCodeServer({ entry, ws, logDir, logName = 'code-server.log' }) {
  const port = await freePort();
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`, // webviews need a secure context: localhost only
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    ws.userData,
    '--extensions-dir',
    ws.extensions,
    ws.folder,
  ];
  const log = createWriteStream(join(logDir, logName));
  const child = spawn(process.execPath, args, {
    detached: true, // own process group: stop() takes the extension host and trainer with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_CONFIG_HOME: ws.xdgConfig, XDG_DATA_HOME: ws.xdgData },
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopGroup(child);
  try {
    await waitHealthy(url, child);
  } catch (e) {
    await stop();
    throw e;
  }
  // For signal handlers, which cannot wait: the whole group, at once.
  const killNow = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return { url, port, pid: child.pid, stop, killNow };
}

async function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  const signal = (s) => {
    try {
      process.kill(-child.pid, s);
    } catch {
      // group already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // stragglers of the group (extension host, trainer) that outlived the server
}
