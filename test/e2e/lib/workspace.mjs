// Throw-away folders for one e2e run: VS Code user data (with seeded settings), extensions, XDG
// config/data, and a workspace holding real MNIST test digits as PNG files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Quick training for the UI: one epoch on all 60,000 samples. The fused trainer does 12,000 samples
// in about a second on a quiet machine, over before the dashboard's first look, so the loss curve
// could not be watched growing; a full epoch takes several seconds on any machine.
const QUICK_TRAINING = { 'tensorLens.epochs': 1, 'tensorLens.trainLimit': 60000 };

// The screenshots switch between this and "Default Light Modern" through the theme picker.
const DARK_THEME = 'Default Dark Modern';

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.hover.delay': 300,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': DARK_THEME,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  ...QUICK_TRAINING,
};

export function createWorkspace(repoRoot) {
  const root = mkdtempSync(join(tmpdir(), 'tensor-lens-e2e-'));
  const dirs = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    xdgConfig: join(root, 'xdg-config'),
    xdgData: join(root, 'xdg-data'),
    folder: join(root, 'workspace'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  const settingsFile = join(dirs.userData, 'User', 'settings.json');
  writeFileSync(settingsFile, JSON.stringify(BASE_SETTINGS, null, 2));
  const { digits, labels, trainImages, photo, largePhoto, twoDigits } = writeDigits(
    repoRoot,
    join(dirs.folder, 'digits'),
  );
  // An empty workspace settings file from the start: scenarios that change a setting edit it, and
  // the workbench watches a file that exists more promptly than a folder created later.
  mkdirSync(join(dirs.folder, '.vscode'), { recursive: true });
  writeFileSync(join(dirs.folder, '.vscode', 'settings.json'), '{}');
  return {
    ...dirs,
    digits,
    labels,
    trainImages,
    photo,
    largePhoto,
    twoDigits,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Real MNIST test digits as PNGs (shared test helper) and the first labels of each split. */
function writeDigits(repoRoot, dir) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/e2e/writeDigits.ts'), dir], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}
