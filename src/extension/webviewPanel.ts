// One webview panel of any kind: the HTML shell, the resource roots, the `ready` handshake and the
// validated message channel. What a kind shows beyond the run state is its `content` message
// (a tensor, a prediction, the dataset info), kept here so a panel that loads late still gets it.
import * as vscode from 'vscode';
import type { TrainerEvent } from '../shared/protocol';
import { TimedCoalescer } from './coalescer';
import { Disposable, toDisposable } from './dispose';
import type { Logger } from './logger';
import type { RunController } from './runController';
import type { HostToWebview, PanelKind, WebviewToHost } from '../shared/webviewProtocol';
import { describeRefusedMessage, parseWebviewMessage } from '../shared/webviewProtocol';
import { localizeStrings } from '../shared/webviewStrings';
import { localFaultWording } from './faultWords';
import { PANEL_KINDS } from './panelKinds';
import { errorLine } from '../shared/errors';
import { makeNonce, webviewHtml } from './webviewHtml';

/** However fast the trainer talks, a webview gets at most this many event messages a second. */
export const WEBVIEW_EVENTS_PER_SECOND = 20;

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    // Only the bundles and the stylesheets/icons: a prediction's image travels as a data: URI, so no
    // user folder is ever opened to a webview.
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
    retainContextWhenHidden: false,
  };
}

/** What the host does with a panel's (validated) requests. */
export type PanelRequestHandler = (
  panel: TensorLensPanel,
  message: Exclude<WebviewToHost, { type: 'ready' }>,
) => void | Promise<void>;

export class TensorLensPanel extends Disposable {
  private ready = false;
  private content: HostToWebview | null = null;
  private readonly closed = new vscode.EventEmitter<void>();
  /** Fires once, when the panel closes (by the user or by dispose). */
  readonly onDidDispose = this.closed.event;
  /** Trainer events reach the webview in groups, at most WEBVIEW_EVENTS_PER_SECOND times a second. */
  private readonly events = new TimedCoalescer<TrainerEvent>(
    (events) => this.post({ type: 'trainerEvents', events }),
    1000 / WEBVIEW_EVENTS_PER_SECOND,
  );

  constructor(
    readonly kind: PanelKind,
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: RunController,
    private readonly onRequest: PanelRequestHandler,
    private readonly log: Logger,
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
    webview.html = webviewHtml(
      kind,
      {
        title: PANEL_KINDS[kind].title(vscode.l10n),
        cspSource: webview.cspSource,
        commonCss: uri('media', 'webview', 'common.css'),
        panelCss: uri('media', 'webview', `${kind}.css`),
        script: uri('dist', 'webview', `${kind}.js`),
        strings: localizeStrings((message, key) => vscode.l10n.t({ message, comment: key })),
        faults: localFaultWording(),
        language: vscode.env.language,
      },
      makeNonce(),
    );
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'tensor-lens.svg');
    this.register(this.closed);
    this.register(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.register(panel.onDidDispose(() => this.dispose()));
    // A hidden panel's page is torn down (no retainContextWhenHidden): it says ready again when shown.
    this.register(
      panel.onDidChangeViewState(() => {
        if (panel.visible) return;
        this.ready = false;
        this.events.clear();
      }),
    );
    this.register(
      controller.onEvent((event) => {
        if (this.ready) this.events.push(event);
      }),
    );
    this.register(toDisposable(() => this.events.clear()));
  }

  /** What the panel shows beyond the run state: posted now if the webview listens, else when it says ready. It does not reveal the panel. */
  setContent(content: HostToWebview): void {
    this.content = content;
    if (this.ready) this.post(content);
  }

  post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  setTitle(title: string): void {
    this.panel.title = title || PANEL_KINDS[this.kind].title(vscode.l10n);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.ready = false;
    this.closed.fire();
    super.dispose();
    this.panel.dispose();
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (message === null) {
      this.log.warn(`ignored a malformed message from the ${this.kind} panel: ${describeRefusedMessage(raw)}`);
      return;
    }
    if (message.type === 'ready') {
      // A reloaded webview says ready again: it gets the whole state again.
      this.ready = true;
      // The snapshot holds every event so far, the waiting ones included.
      this.events.clear();
      this.post({ type: 'runState', state: this.controller.state });
      if (this.content) this.post(this.content);
      return;
    }
    Promise.resolve(this.onRequest(this, message)).catch((error: unknown) => {
      this.log.error(`${this.kind} panel request ${message.type} failed: ${errorLine(error)}`);
    });
  }
}
