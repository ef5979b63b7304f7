// VS Code's Dark Modern colours as readPalette would read them from a panel's CSS variables: the
// palette the webview unit tests draw with (happy-dom has no theme).
import type { Palette } from '../../src/webview/common/theme';

export const darkPalette: Palette = {
  foreground: [204, 204, 204, 1],
  muted: [157, 157, 157, 1],
  background: [31, 31, 31, 1],
  grid: [43, 43, 43, 1],
  series: [
    [55, 148, 255, 1],
    [209, 134, 22, 1],
    [137, 209, 133, 1],
    [177, 128, 215, 1],
  ],
  negative: [55, 148, 255, 1],
  positive: [241, 76, 76, 1],
  error: [248, 81, 73, 1],
};
