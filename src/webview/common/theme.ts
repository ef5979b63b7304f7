// Theme colours come only from VS Code's --vscode-* variables, read when drawing and re-read
// when VS Code switches theme (it swaps the body classes vscode-light / vscode-dark / …).
import { type Rgba, parseColor } from './color';

export interface Palette {
  foreground: Rgba;
  muted: Rgba;
  background: Rgba;
  grid: Rgba;
  /** Series colours, in order: loss, accuracy, validation, test. */
  series: [Rgba, Rgba, Rgba, Rgba];
  /** Ends of the diverging scale: negative, positive. */
  negative: Rgba;
  positive: Rgba;
  error: Rgba;
}

function read(style: CSSStyleDeclaration, names: string[]): Rgba {
  for (const name of names) {
    const c = parseColor(style.getPropertyValue(`--vscode-${name}`));
    if (c) return c;
  }
  // Last resort when a theme lacks every variable named: the text colour VS Code always sets.
  return parseColor(style.getPropertyValue('--vscode-foreground')) ?? [128, 128, 128, 1];
}

export function readPalette(element: Element = document.body): Palette {
  const s = getComputedStyle(element);
  return {
    foreground: read(s, ['foreground', 'editor-foreground']),
    muted: read(s, ['descriptionForeground', 'disabledForeground']),
    background: read(s, ['editor-background', 'sideBar-background', 'panel-background']),
    grid: read(s, ['panel-border', 'widget-border', 'editorWidget-border', 'contrastBorder']),
    series: [
      read(s, ['charts-blue']),
      read(s, ['charts-orange']),
      read(s, ['charts-green']),
      read(s, ['charts-purple', 'charts-red']),
    ],
    negative: read(s, ['charts-blue']),
    positive: read(s, ['charts-red', 'errorForeground']),
    error: read(s, ['errorForeground', 'charts-red']),
  };
}

/** Calls back when VS Code changes the theme; returns the observer so it can be disconnected. */
export function onThemeChange(callback: () => void): MutationObserver {
  const observer = new MutationObserver(callback);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return observer;
}
