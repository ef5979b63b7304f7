// A happy-dom document as the global one, for webview render functions under node's test runner.
import { type IOptionalBrowserSettings, Window } from 'happy-dom';

export function installDom(settings?: IOptionalBrowserSettings): Window {
  const window = new Window(settings ? { settings } : undefined);
  Object.assign(globalThis, { window, document: window.document });
  return window;
}
