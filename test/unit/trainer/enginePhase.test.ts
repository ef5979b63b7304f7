// The trainer engine's phase machine: every phase against every event, so a change to what a
// request may do shows up here as one named case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BusyError,
  type EnginePhase,
  IDLE,
  type PhaseEvent,
  batchMode,
  owedStep,
  transition,
} from '../../../src/trainer/enginePhase';

const TRAINING: EnginePhase = { name: 'training' };
const PAUSED: EnginePhase = { name: 'paused' };
const STEPPING: EnginePhase = { name: 'stepping', requestId: 7 };
const STOPPING: EnginePhase = { name: 'stopping', owedStep: null };
const STOPPING_OWING: EnginePhase = { name: 'stopping', owedStep: 7 };
const PHASES = { idle: IDLE, training: TRAINING, paused: PAUSED, stepping: STEPPING, stopping: STOPPING };

const EVENTS: Record<PhaseEvent['type'], PhaseEvent> = {
  start: { type: 'start' },
  step: { type: 'step', requestId: 9 },
  pause: { type: 'pause' },
  resume: { type: 'resume' },
  stop: { type: 'stop' },
  stepAnswered: { type: 'stepAnswered' },
  runEnded: { type: 'runEnded' },
};

/** A phase it moves to, `ignored` (the same phase back), or the busy message it is refused with. */
type Outcome = EnginePhase | 'ignored' | { busy: string };
const busy = (what: string) => ({ busy: `busy training: ${what} is not possible until the run ends or is stopped` });

const TABLE: Record<keyof typeof PHASES, Record<PhaseEvent['type'], Outcome>> = {
  idle: {
    start: TRAINING,
    step: { name: 'stepping', requestId: 9 },
    pause: 'ignored',
    resume: 'ignored',
    stop: 'ignored',
    stepAnswered: 'ignored',
    runEnded: IDLE,
  },
  training: {
    start: busy('starting another run'),
    step: busy('a step (pause the run first)'),
    pause: PAUSED,
    resume: 'ignored',
    stop: STOPPING,
    stepAnswered: 'ignored',
    runEnded: IDLE,
  },
  paused: {
    start: busy('starting another run'),
    step: { name: 'stepping', requestId: 9 },
    pause: 'ignored',
    resume: TRAINING,
    stop: STOPPING,
    stepAnswered: 'ignored',
    runEnded: IDLE,
  },
  stepping: {
    start: busy('starting another run'),
    step: busy('another step'),
    pause: 'ignored',
    resume: 'ignored',
    stop: STOPPING_OWING,
    stepAnswered: PAUSED,
    runEnded: IDLE,
  },
  stopping: {
    start: busy('starting another run'),
    step: busy('a step (the run is stopping)'),
    pause: 'ignored',
    resume: 'ignored',
    stop: 'ignored',
    stepAnswered: 'ignored',
    runEnded: IDLE,
  },
};

test('enginePhase: every phase against every event', async (t) => {
  for (const [phaseName, row] of Object.entries(TABLE)) {
    const phase = PHASES[phaseName as keyof typeof PHASES];
    for (const [eventType, outcome] of Object.entries(row)) {
      await t.test(`${phaseName} + ${eventType}`, () => {
        const event = EVENTS[eventType as PhaseEvent['type']];
        if (outcome === 'ignored') assert.equal(transition(phase, event), phase);
        else if ('busy' in outcome)
          assert.throws(
            () => transition(phase, event),
            (error) => error instanceof BusyError && error.message === outcome.busy,
          );
        else assert.deepEqual(transition(phase, event), outcome);
      });
    }
  }
});

test('enginePhase: a stopping run that owes a step still owes it until answered or ended', async (t) => {
  await t.test('stop keeps the owed step; its answer clears it', () => {
    const stopping = transition(STEPPING, EVENTS.stop);
    assert.equal(owedStep(stopping), 7);
    assert.deepEqual(transition(stopping, EVENTS.stepAnswered), STOPPING);
  });
  await t.test('a second stop keeps it; the end of the run drops it', () => {
    assert.equal(transition(STOPPING_OWING, EVENTS.stop), STOPPING_OWING);
    assert.equal(owedStep(transition(STOPPING_OWING, EVENTS.runEnded)), null);
  });
  await t.test('a step is refused, a pause or resume not heard', () => {
    assert.throws(() => transition(STOPPING_OWING, EVENTS.step), BusyError);
    assert.equal(transition(STOPPING_OWING, EVENTS.pause), STOPPING_OWING);
    assert.equal(transition(STOPPING_OWING, EVENTS.resume), STOPPING_OWING);
  });
});

test('enginePhase: the step owed and what the next batch does, per phase', () => {
  assert.deepEqual(
    [IDLE, TRAINING, PAUSED, STEPPING, STOPPING, STOPPING_OWING].map((phase) => [
      phase.name,
      owedStep(phase),
      batchMode(phase),
    ]),
    [
      ['idle', null, 'train'],
      ['training', null, 'train'],
      ['paused', null, 'hold'],
      ['stepping', 7, 'inspect'],
      ['stopping', null, 'train'],
      ['stopping', 7, 'train'],
    ],
  );
});
