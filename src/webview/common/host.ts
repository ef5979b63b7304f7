// The one connection of a panel to the extension host: the validated message listener, the
// `ready` handshake (posted only once the listener is installed) and the persisted view state.
import type { HostToWebview, WebviewToHost } from '../../shared/webviewProtocol';
import { readHostMessage } from './hostMessages';

export interface PanelHost<ViewState> {
  post(message: WebviewToHost): void;
  viewState(): Partial<ViewState>;
  saveViewState(patch: Partial<ViewState>): void;
}

export function connectToHost<ViewState>(onMessage: (message: HostToWebview) => void): PanelHost<ViewState> {
  const api = acquireVsCodeApi<Partial<ViewState>>();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = readHostMessage(event.data);
    if (message) onMessage(message);
    else console.warn('Tensor Lens: ignored a malformed message from the host', event.data);
  });
  api.postMessage({ type: 'ready' } satisfies WebviewToHost);
  return {
    post: (message) => api.postMessage(message),
    viewState: () => api.getState() ?? {},
    saveViewState: (patch) => api.setState({ ...(api.getState() ?? {}), ...patch }),
  };
}
