// Where a training step spends its time, for `npm run bench -- --profile`: both training paths
// report laps to a clock the bench passes in (absent otherwise).

export type StepPhase =
  | 'setup'
  | 'stage'
  | 'matMul'
  | 'softmax/loss'
  | 'backprop elementwise'
  | 'read gradients'
  | 'wait for workers'
  | 'update'
  | 'sync model'
  | 'metrics'
  | 'JS glue';

/** Attributes the time since the previous lap to a phase. */
export interface StepClock {
  lap(phase: StepPhase): void;
}
