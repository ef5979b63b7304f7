// Installs what the e2e run needs and the machine lacks: Debian packages (Chromium, ripgrep, the
// headers code-server's native modules build against) and, in a cache folder outside the repo keyed
// by version, code-server (a full VS Code) and playwright-core. Not project dependencies, so
// `npm ci` does not pay ~300 MB for them; a second run reuses the cache.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3'; // VS Code 1.100.3; 4.103+ need Node 22
export const PLAYWRIGHT_VERSION = '1.57.0'; // drives Debian's Chromium 156 over CDP
const APT_PACKAGES = [
  'chromium',
  'fonts-nanum', // Korean glyphs for the Korean UI scenario (Chromium has no CJK font otherwise)
  'libkrb5-dev',
  'libsecret-1-dev',
  'libxkbfile-dev',
  'libx11-dev',
  'pkg-config',
  'ripgrep',
];
// code-server's nested @vscode/ripgrep downloads rg from GitHub unless this archive is cached.
const RIPGREP_CACHE = { version: '1.15.11', archive: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };

export const CHROMIUM = '/usr/bin/chromium';

export function cacheRoot() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tensor-lens', 'e2e');
}

function log(msg) {
  console.log(`[e2e] ${msg}`);
}

function aptMissing() {
  return APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureApt() {
  const missing = aptMissing();
  if (missing.length === 0) return;
  log(`apt-get install ${missing.join(' ')}`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) =>
    execFileSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
}

/** A tar.gz holding Debian's rg under the name the ripgrep postinstall looks for. */
function seedRipgrepCache() {
  const dir = join(process.env.TMPDIR || tmpdir(), `vscode-ripgrep-cache-${RIPGREP_CACHE.version}`);
  const archive = join(dir, RIPGREP_CACHE.archive);
  if (existsSync(archive)) return;
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
  rmSync(staging, { recursive: true, force: true });
}

/** npm-installs `spec` into its own cache folder once; returns that folder's node_modules. */
function ensureNpmPackage(name, version, env = {}) {
  const dir = join(cacheRoot(), `${name}-${version}`);
  const marker = join(dir, '.installed');
  if (!existsSync(marker)) {
    log(`installing ${name}@${version} into ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `e2e-${name}`, private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `${name}@${version}`], {
      cwd: dir,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    writeFileSync(marker, new Date().toISOString());
  }
  return join(dir, 'node_modules');
}

/** Everything installed; returns the code-server binary and the playwright-core module path. */
export function ensureTools() {
  ensureApt();
  seedRipgrepCache();
  const cs = ensureNpmPackage('code-server', CODE_SERVER_VERSION, {
    npm_config_unsafe_perm: 'true', // its postinstall refuses root otherwise
    npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
    // npm 11 skips dependencies' install scripts unless approved; code-server's postinstall (and
    // the nested installs it runs) set up VS Code's own node_modules and native modules.
    npm_config_dangerously_allow_all_scripts: 'true',
  });
  const pw = ensureNpmPackage('playwright-core', PLAYWRIGHT_VERSION);
  return {
    codeServer: join(cs, 'code-server', 'out', 'node', 'entry.js'),
    playwrightCore: join(pw, 'playwright-core', 'index.mjs'),
  };
}
