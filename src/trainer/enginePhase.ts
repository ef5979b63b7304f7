// Where the trainer engine's run is, and what each request may do there: one phase and one
// transition function (as the host's RunController has), instead of flags that had to agree.
import { FaultError, type FaultKind } from '../shared/faults';
import type { BatchMode } from './fastFit';

/**
 * `training` runs batch after batch; `paused` holds the run before its next batch; `stepping`
 * owes a Step its answer: the next batch is trained up close, and the run holds again after it;
 * `stopping` ends the run after the current batch, still owing a Step it had accepted (if any), so
 * that the step is answered by its batch or told the run ended. A Step with no run going starts
 * one in `stepping`.
 */
export type EnginePhase =
  | { name: 'idle' }
  | { name: 'training' }
  | { name: 'paused' }
  | { name: 'stepping'; requestId: number }
  | { name: 'stopping'; owedStep: number | null };

/** What moves the phase: the run's requests, and the run itself answering its step or ending. */
export type PhaseEvent =
  | { type: 'start' }
  | { type: 'step'; requestId: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'stepAnswered' }
  | { type: 'runEnded' };

export const IDLE: EnginePhase = { name: 'idle' };

/** A request refused while a run goes: what could not happen is the fault's kind. */
export class BusyError extends FaultError {
  constructor(kind: BusyKind) {
    super({ kind });
  }
}

type BusyKind = Extract<
  FaultKind,
  | 'busyStartingRun'
  | 'busyStepWhileTraining'
  | 'busyAnotherStep'
  | 'busyStepWhileStopping'
  | 'busySaving'
  | 'busyLoading'
>;

/**
 * The phase after one event. A refused request throws BusyError; an event with nothing to do in
 * this phase (a pause after the run ended, a stop with no run) returns `phase` itself.
 */
export function transition(phase: EnginePhase, event: PhaseEvent): EnginePhase {
  switch (event.type) {
    case 'start':
      if (phase.name !== 'idle') throw new BusyError('busyStartingRun');
      return { name: 'training' };
    case 'step':
      if (phase.name === 'idle' || phase.name === 'paused') return { name: 'stepping', requestId: event.requestId };
      if (phase.name === 'training') throw new BusyError('busyStepWhileTraining');
      throw new BusyError(phase.name === 'stepping' ? 'busyAnotherStep' : 'busyStepWhileStopping');
    // Only a run that trains can be held: one already held, stopping or ended does not hear a pause.
    case 'pause':
      return phase.name === 'training' ? { name: 'paused' } : phase;
    // A Resume while a step is owed is not heard: the step trains its batch, and the run holds after it.
    case 'resume':
      return phase.name === 'paused' ? { name: 'training' } : phase;
    case 'stop':
      if (phase.name === 'training' || phase.name === 'paused') return { name: 'stopping', owedStep: null };
      if (phase.name === 'stepping') return { name: 'stopping', owedStep: phase.requestId };
      return phase;
    case 'stepAnswered':
      if (phase.name === 'stepping') return { name: 'paused' };
      if (phase.name === 'stopping' && phase.owedStep !== null) return { name: 'stopping', owedStep: null };
      return phase;
    case 'runEnded':
      return IDLE;
  }
}

/** The Step a phase still owes an answer, or null. */
export function owedStep(phase: EnginePhase): number | null {
  if (phase.name === 'stepping') return phase.requestId;
  if (phase.name === 'stopping') return phase.owedStep;
  return null;
}

/** What the run's next batch does in a phase: train, train as a Step (`inspect`), or wait (`hold`). */
export function batchMode(phase: EnginePhase): BatchMode | 'hold' {
  switch (phase.name) {
    case 'paused':
      return 'hold';
    case 'stepping':
      return 'inspect';
    // A stopping run is let go: the loop checks shouldStop after every batch, and after a held one.
    case 'idle':
    case 'training':
    case 'stopping':
      return 'train';
  }
}
