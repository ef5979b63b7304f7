// The host's single source of truth: the run state (one reducer, src/shared/runState.ts) and the
// trainer process behind it. Decides when the trainer starts (first need), whether a Train may run
// (never two at once), and where a model for Predict comes from (the live one, else the saved one).
// The live trainer's model is the newest: a completed run's, a loaded one, or a stopped run's (as of
// its last completed batch, kept in memory and never saved on its own: Save Model As… saves it).
// The trainer process lives until dispose, or until a Stop it does not honour within the grace period.
// No `vscode` here: the commands and views sit on top of it, the unit tests drive it directly.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StepReport, TrainConfig, TrainerEvent } from '../shared/protocol';
import { type RunState, applyEvent, initialRunState } from '../shared/runState';
import { type IDisposable, toDisposable } from './dispose';
import type { Logger } from './logger';
import type { Fault } from '../shared/faults';
import {
  type RequestBody,
  type TrainerAnswer,
  TrainerClient,
  type TrainerEnd,
  type TrainerLaunch,
} from './trainerClient';

/** How long Stop waits for the run to end between batches before ending the trainer process. */
export const STOP_GRACE_MS = 15_000;

export const TIMEOUTS_MS = {
  evaluate: 300_000,
  predict: 60_000,
  getTensor: 60_000,
  save: 120_000,
  load: 120_000,
  // A step from no run loads MNIST and builds a model first.
  step: 120_000,
} as const;

export interface RunControllerOptions {
  /** dist/trainer.js */
  trainerScript: string;
  /** Resolved when the trainer is needed (settings may have changed since activation). */
  launch: () => TrainerLaunch;
  /** Where a run saves its model, so Predict works after a reload; null = never saved. */
  modelDir: string | null;
  /** Gets the trainer's output. */
  log?: Logger;
  /** Overrides STOP_GRACE_MS (tests). */
  stopGraceMs?: number;
}

export class NoModelError extends Error {
  constructor() {
    super('No trained model yet: train one (MNIST: Train Model) or load a saved one (MNIST: Load Model…).');
  }
}

export type TrainOutcome = 'started' | 'busy';

/** Step refused: a run is going and not paused. */
export class RunningError extends Error {
  constructor() {
    super('Tensor Lens is training: pause the run (MNIST: Pause Training) to step through it one batch at a time.');
  }
}

/**
 * Where the run is, as the host sees it: `starting` from Train until the trainer's trainStart (or
 * its refusal), `training` until trainEnd, `finishing` while a completed run still evaluates and
 * saves (the trainer refuses a new start until then), else `idle`.
 */
export type RunPhase = 'idle' | 'starting' | 'training' | 'finishing';

/** What the host itself does to a run, beside the trainer's events: asks for one, fails to, loses the trainer. */
type HostEvent = { type: 'startRequested' } | { type: 'startFailed' } | { type: 'trainerGone' };

/** Where a model for Predict, Evaluate and tensors comes from: the live trainer, else the saved one. */
export type ModelSource = 'live' | 'saved' | 'none';

export class RunController {
  readonly state: RunState = initialRunState();
  private client: TrainerClient | null = null;
  private starting: Promise<TrainerClient> | null = null;
  private phase: RunPhase = 'idle';
  /** The live trainer holds a model (it trained, loaded, or stopped with one). */
  private liveModel = false;
  private readonly endWaiters: ((state: RunState) => void)[] = [];
  private readonly listeners = new Set<(event: TrainerEvent) => void>();
  private disposed = false;

  constructor(private readonly options: RunControllerOptions) {}

  get trainerPid(): number | undefined {
    return this.client?.pid;
  }

  get isTraining(): boolean {
    return this.phase === 'starting' || this.phase === 'training';
  }

  /** The run is held between batches (Pause, or after a Step). */
  get isPaused(): boolean {
    return this.phase === 'training' && this.state.paused;
  }

  /** A Step may run now: no run is going (a new one starts paused), or the run is paused. */
  get canStep(): boolean {
    return !this.isTraining || this.isPaused;
  }

  get modelSource(): ModelSource {
    if (this.liveModel) return 'live';
    return this.savedModelDir() !== null ? 'saved' : 'none';
  }

  /** A trained model exists somewhere Predict can use: in the live trainer or saved on disk. */
  get hasModel(): boolean {
    return this.modelSource !== 'none';
  }

  /** Every trainer event, after the state has applied it, until the subscription is disposed. */
  onEvent(listener: (event: TrainerEvent) => void): IDisposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  /** Starts a run, or answers 'busy' when one is already going (the caller asks about a restart). */
  async train(config: TrainConfig): Promise<TrainOutcome> {
    if (this.isTraining) return 'busy';
    if (this.phase === 'finishing') await this.whenTrainingEnds();
    if (this.isTraining) return 'busy';
    this.transition({ type: 'startRequested' });
    try {
      const client = await this.ensureTrainer();
      client.notify({ type: 'start', config });
    } catch (error) {
      this.transition({ type: 'startFailed' });
      this.settleEnd();
      throw error;
    }
    return 'started';
  }

  /**
   * Stops the current run: the trainer finishes its batch, reports trainEnd 'stopped' and keeps that
   * model, so Evaluate, Predict, tensors and Save Model As… use it (nothing saves it on its own).
   * A trainer still in its run after the grace period is ended, and the run counts as failed.
   */
  async stop(): Promise<RunState> {
    if (!this.isTraining) return this.state;
    const ended = this.whenTrainingEnds();
    this.client?.notify({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>(
      (resolve) => (timer = setTimeout(() => resolve('late'), this.options.stopGraceMs ?? STOP_GRACE_MS)),
    );
    const outcome = await Promise.race([ended, late]);
    clearTimeout(timer);
    if (outcome === 'late') await this.shutdownTrainer();
    return this.state;
  }

  /**
   * Trains exactly one batch and resolves with what it did: the paused run's next batch, or, with no
   * run going, the first batch of a new run (with `config`) that then stays paused.
   */
  async step(config: TrainConfig): Promise<StepReport> {
    if (this.phase === 'finishing') await this.whenTrainingEnds();
    if (!this.canStep) throw new RunningError();
    if (this.phase === 'idle') this.transition({ type: 'startRequested' });
    try {
      const client = await this.ensureTrainer();
      return (await client.request<'step'>({ type: 'step', config }, TIMEOUTS_MS.step)).report;
    } catch (error) {
      // A new run that never started (bad settings, no data) leaves nothing going.
      if (this.phase === 'starting') {
        this.transition({ type: 'startFailed' });
        this.settleEnd();
      }
      throw error;
    }
  }

  /** Holds the run between batches; Resume, Step or Stop continue from there. */
  pause(): void {
    if (this.phase === 'training' && !this.state.paused) this.client?.notify({ type: 'pause' });
  }

  resume(): void {
    if (this.isPaused) this.client?.notify({ type: 'resume' });
  }

  /** Stops a running run (if any), then starts a new one: never two at once. */
  async restart(config: TrainConfig): Promise<TrainOutcome> {
    await this.stop();
    return this.train(config);
  }

  /** Resolves when the current run has ended (and, if it completed, evaluated and saved); at once when none is running. */
  whenTrainingEnds(): Promise<RunState> {
    if (this.phase === 'idle') return Promise.resolve(this.state);
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  async evaluate(): Promise<void> {
    await this.request<'evaluate'>({ type: 'evaluate' });
  }

  async predict(file: string): Promise<Extract<TrainerEvent, { type: 'prediction' }>> {
    return this.request<'predict'>({ type: 'predict', file });
  }

  async getTensor(name: string): Promise<Extract<TrainerEvent, { type: 'tensor' }>> {
    return this.request<'getTensor'>({ type: 'getTensor', name });
  }

  async save(modelDir: string): Promise<string> {
    return (await this.request<'save'>({ type: 'save', modelDir })).modelDir;
  }

  async load(modelDir: string): Promise<void> {
    const client = await this.ensureTrainer();
    await client.request<'load'>({ type: 'load', modelDir }, TIMEOUTS_MS.load);
    this.liveModel = true;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.shutdownTrainer();
  }

  /** A request that needs a model: loads the saved one into a fresh trainer first. */
  private async request<K extends keyof typeof TIMEOUTS_MS>(body: RequestBody<K>): Promise<TrainerAnswer[K]> {
    const client = await this.ensureTrainer();
    if (!this.liveModel) {
      const saved = this.savedModelDir();
      if (saved === null) throw new NoModelError();
      await this.load(saved);
    }
    return client.request<K>(body, TIMEOUTS_MS[body.type]);
  }

  /** The folder of a saved model (this run's, else the storage one), if model.json is there. */
  savedModelDir(): string | null {
    const candidates = [this.state.savedModelDir, this.options.modelDir].filter((d): d is string => d !== null);
    return candidates.find((dir) => existsSync(join(dir, 'model.json'))) ?? null;
  }

  /** The live trainer process, started now if there is none (or it died). */
  private ensureTrainer(): Promise<TrainerClient> {
    if (this.disposed) return Promise.reject(new Error('Tensor Lens is shutting down'));
    if (this.client?.alive) return Promise.resolve(this.client);
    this.starting ??= TrainerClient.start({
      scriptPath: this.options.trainerScript,
      launch: this.options.launch(),
      onEvent: (event) => this.receive(event),
      onExit: ({ unexpected, fault }) => this.trainerExited(unexpected, fault),
      log: this.options.log,
    })
      .then((client) => {
        this.client = client;
        this.liveModel = false;
        return client;
      })
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  private async shutdownTrainer(): Promise<void> {
    const client = this.client ?? (await this.starting?.catch(() => null)) ?? null;
    if (!client) return;
    await client.dispose();
    if (this.client === client) this.client = null;
    this.liveModel = false;
  }

  private receive(event: TrainerEvent): void {
    applyEvent(this.state, event);
    this.transition(event);
    for (const listener of this.listeners) listener(event);
    if (['trainEnd', 'evaluation', 'saved', 'error'].includes(event.type)) this.settleEnd();
  }

  /** The phase after one trainer or host event (the only place it changes), and the live model those events bring or take. */
  private transition(event: TrainerEvent | HostEvent): void {
    switch (event.type) {
      case 'startRequested':
        this.phase = 'starting';
        break;
      case 'startFailed':
        if (this.phase === 'starting') this.phase = 'idle';
        break;
      case 'trainerGone':
        this.phase = 'idle';
        this.liveModel = false;
        break;
      case 'trainStart':
        this.phase = 'training';
        this.liveModel = true;
        break;
      case 'loaded':
        this.liveModel = true;
        break;
      case 'trainEnd':
        this.phase = event.reason === 'completed' ? 'finishing' : 'idle';
        break;
      // The run's own last words: its evaluation (when it saves nothing) or its save.
      case 'evaluation':
        if (event.requestId === null && this.phase === 'finishing' && this.state.started?.config.modelDir === null)
          this.phase = 'idle';
        break;
      case 'saved':
        if (event.requestId === null && this.phase === 'finishing') this.phase = 'idle';
        break;
      // An error of no request ends the run, or refuses its start (bad config, missing data).
      case 'error':
        if (event.requestId === null) this.phase = 'idle';
        break;
    }
  }

  private trainerExited(unexpected: boolean, end: TrainerEnd): void {
    this.client = null;
    this.transition({ type: 'trainerGone' });
    // Told through the one reducer, so the tree and every panel learn it the same way. A run that
    // was still going when its process ended (crash, or killed after Stop's grace) has failed.
    const runCut = this.state.status === 'training';
    if (unexpected || runCut)
      this.receive({
        type: 'error',
        requestId: null,
        fault: unexpected ? end : cutRun(end),
      });
    this.settleEnd();
  }

  private settleEnd(): void {
    if (this.phase !== 'idle') return;
    for (const resolve of this.endWaiters.splice(0)) resolve(this.state);
  }
}

/** A trainer the host ended (Stop's grace ran out, a reload) while its run still went: the run was cut short. */
function cutRun(end: TrainerEnd): Fault {
  switch (end.kind) {
    case 'trainerExited':
      return { kind: 'trainerExitedMidRun', code: end.code, stderr: end.stderr };
    case 'trainerKilled':
      return { kind: 'trainerKilledMidRun', signal: end.signal, stderr: end.stderr };
    case 'trainerFlood':
      return end;
  }
}
