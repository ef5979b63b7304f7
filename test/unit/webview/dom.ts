// A happy-dom document as the global one, for webview render functions under node's test runner.
import { Window } from 'happy-dom';

export function installDom(): Window {
  const window = new Window();
  Object.assign(globalThis, { window, document: window.document });
  return window;
}
