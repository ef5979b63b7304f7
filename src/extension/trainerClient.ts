// The host's end of the trainer child process: forks dist/trainer.js, waits for its `hello`, sends
// requests and pairs each answer with its request by requestId. No `vscode` here, so it is tested
// under node's test runner against the real trainer.
import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type Fault, type FaultOf, FaultError } from '../shared/faults';
import { PROTOCOL_VERSION, type TrainerEvent, type TrainerRequest } from '../shared/protocol';
import { type Logger, NO_LOG } from './logger';

/** How the trainer process is started: which Node runs it, with what environment. */
export interface TrainerLaunch {
  execPath: string;
  env: NodeJS.ProcessEnv;
}

type RequestWithId = Extract<TrainerRequest, { requestId: number }>;
type RequestType = RequestWithId['type'];
export type TrainerAnswer = {
  evaluate: Extract<TrainerEvent, { type: 'evaluation' }>;
  predict: Extract<TrainerEvent, { type: 'prediction' }>;
  getTensor: Extract<TrainerEvent, { type: 'tensor' }>;
  save: Extract<TrainerEvent, { type: 'saved' }>;
  load: Extract<TrainerEvent, { type: 'loaded' }>;
  step: Extract<TrainerEvent, { type: 'step' }>;
};
/** A request as the caller writes it: the client numbers it. */
export type RequestBody<K extends RequestType> = Omit<Extract<RequestWithId, { type: K }>, 'requestId'>;
/** Requests without an answer. */
export type Notification = Exclude<TrainerRequest, RequestWithId>;

export interface TrainerClientOptions {
  scriptPath: string;
  launch: TrainerLaunch;
  /** Every event, answers included (the host's run state applies them all). */
  onEvent: (event: TrainerEvent) => void;
  /** The process ended (`fault` says how); `unexpected` unless dispose() or a shutdown ended it. */
  onExit: (info: { unexpected: boolean; fault: TrainerEnd }) => void;
  /** Where the trainer's stderr (warnings) and stdout (info) go, a line at a time. */
  log?: Logger;
  helloTimeoutMs?: number;
}

const STDERR_TAIL = 2000;
/**
 * The trainer sends about 20 events a second (a few hundred at most, in tiny many-epoch runs). One
 * that sends far more is broken, and Node's IPC would deserialize its flood in bursts that stall the
 * host's event loop for 100 ms and more: past this many events within EVENT_WINDOW_MS, it is ended.
 * A short window catches a flood after a few milliseconds of work.
 */
export const MAX_EVENTS_PER_WINDOW = 200;
export const EVENT_WINDOW_MS = 100;

/** How a trainer process ended. */
export type TrainerEnd = FaultOf<'trainerExited' | 'trainerKilled' | 'trainerFlood'>;

/** A request the trainer refused (its fault), or the trainer process failing (the host's own fault kinds). */
export class TrainerError extends FaultError {}

export class TrainerClient {
  private nextRequestId = 1;
  private readonly pending = new Map<
    number,
    { type: RequestType; resolve: (e: TrainerEvent) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private stderrTail = '';
  private ending = false;
  private exited = false;
  private eventWindow = { start: 0, count: 0 };
  /** Why the host ended a trainer that broke the protocol; null while it behaves. */
  private misbehaviour: 'flood' | null = null;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: TrainerClientOptions,
  ) {}

  /** Forks the trainer and resolves once it said hello in this protocol version. */
  static start(options: TrainerClientOptions): Promise<TrainerClient> {
    const child = fork(options.scriptPath, [], {
      serialization: 'advanced',
      execPath: options.launch.execPath,
      env: options.launch.env,
      // Not the host's flags (an extension host may run with --inspect or Electron-only options).
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const client = new TrainerClient(child, options);
    return client.handshake(options.helloTimeoutMs ?? 60_000);
  }

  get pid(): number | undefined {
    return this.exited ? undefined : this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Sends a request that has no answer (start, stop, pause, resume, shutdown). */
  notify(request: Notification): void {
    this.post(request);
  }

  /** Sends a request and resolves with its answer, or rejects with the trainer's fault (a TrainerError). */
  request<K extends RequestType>(body: RequestBody<K>, timeoutMs: number): Promise<TrainerAnswer[K]> {
    const requestId = this.nextRequestId++;
    return new Promise<TrainerAnswer[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new TrainerError({ kind: 'trainerNoAnswer', request: body.type, time: duration(timeoutMs) }));
      }, timeoutMs);
      this.pending.set(requestId, { type: body.type, resolve: resolve as (e: TrainerEvent) => void, reject, timer });
      try {
        this.post({ ...body, requestId } as RequestWithId);
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(error as Error);
      }
    });
  }

  /** Asks the trainer to exit, and kills it if it has not after `graceMs`. Resolves on exit. */
  dispose(graceMs = 3000): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.ending = true;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.post({ type: 'shutdown' });
    } catch {
      // The channel is already closed: the kill below ends it.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    return exited.finally(() => clearTimeout(timer));
  }

  private post(request: TrainerRequest): void {
    if (this.exited || !this.child.connected) throw new TrainerError({ kind: 'trainerNotRunning' });
    this.child.send(request);
  }

  private handshake(timeoutMs: number): Promise<TrainerClient> {
    const { child, options } = this;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL);
    });
    const log = options.log ?? NO_LOG;
    if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => log.warn(`trainer: ${line}`));
    if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => log.info(`trainer: ${line}`));
    return new Promise<TrainerClient>((resolve, reject) => {
      let greeted = false;
      const fail = (fault: Fault) => {
        clearTimeout(timer);
        this.ending = true;
        child.kill('SIGKILL');
        reject(new TrainerError(fault));
      };
      const timer = setTimeout(
        () => fail({ kind: 'trainerStartTimeout', time: duration(timeoutMs), stderr: this.stderrSuffix() }),
        timeoutMs,
      );
      child.on('message', (message: TrainerEvent) => {
        if (!greeted) {
          if (message?.type !== 'hello')
            return fail({ kind: 'trainerNoHello', type: String(JSON.stringify(message?.type)) });
          if (message.protocol !== PROTOCOL_VERSION)
            return fail({ kind: 'trainerProtocol', theirs: message.protocol, ours: PROTOCOL_VERSION });
          greeted = true;
          clearTimeout(timer);
          resolve(this);
          return;
        }
        if (this.misbehaviour === null && this.withinEventRate()) this.receive(message);
      });
      child.on('error', (error) => {
        if (!greeted) fail({ kind: 'trainerCouldNotStart', node: options.launch.execPath, reason: error.message });
      });
      child.on('exit', (code, signal) => {
        this.exited = true;
        const stderr = this.stderrSuffix();
        const end: TrainerEnd =
          this.misbehaviour === 'flood'
            ? { kind: 'trainerFlood', max: MAX_EVENTS_PER_WINDOW, ms: EVENT_WINDOW_MS, stderr }
            : signal
              ? { kind: 'trainerKilled', signal, stderr }
              : { kind: 'trainerExited', code: code ?? 'null', stderr };
        for (const [, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new TrainerError(end));
        }
        this.pending.clear();
        if (!greeted) {
          clearTimeout(timer);
          reject(new TrainerError(end));
          return;
        }
        options.onExit({ unexpected: !this.ending, fault: end });
      });
    });
  }

  /** Counts events per window; past MAX_EVENTS_PER_WINDOW, stops listening and ends the trainer. */
  private withinEventRate(): boolean {
    const now = performance.now();
    if (now - this.eventWindow.start >= EVENT_WINDOW_MS) this.eventWindow = { start: now, count: 0 };
    if (++this.eventWindow.count <= MAX_EVENTS_PER_WINDOW) return true;
    this.misbehaviour = 'flood';
    // Closing the channel first stops Node from reading (and deserializing) the rest of the flood.
    this.child.disconnect();
    this.child.kill('SIGKILL');
    return false;
  }

  private receive(event: TrainerEvent): void {
    const requestId = 'requestId' in event ? event.requestId : null;
    const waiting = requestId === null ? undefined : this.pending.get(requestId);
    this.options.onEvent(event);
    if (!waiting || requestId === null) return;
    this.pending.delete(requestId);
    clearTimeout(waiting.timer);
    if (event.type === 'error') waiting.reject(new TrainerError(event.fault));
    else waiting.resolve(event);
  }

  private stderrSuffix(): string {
    const tail = this.stderrTail.trim().split('\n').slice(-5).join('\n');
    return tail ? `:\n${tail}` : '';
  }
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
