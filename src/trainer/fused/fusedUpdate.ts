// The fused optimizer step: every parameter of the model in one flat float array, updated by one
// call of a small hand-written wasm SIMD kernel (kernels/update.wat) instead of tfjs' optimizer,
// which runs ~8 backend ops per weight tensor with a scalar `sqrt`. The kernel performs tfjs'
// float32 operations in tfjs' order, so the weights equal what the tfjs optimizer gives.
// The arrays live in one shared WebAssembly.Memory, so worker threads can sum their gradients
// and update their slice of the parameters in place.
import * as tf from '@tensorflow/tfjs';
import { UPDATE_KERNEL_BASE64 } from './kernels/updateKernel';

/** An optimizer the kernel reproduces exactly. */
export type FusedRule =
  | { kind: 'rmsprop'; learningRate: number; decay: number; epsilon: number }
  | { kind: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'sgd'; learningRate: number };

/** The rule of a tfjs optimizer, or null for what the kernel does not do (momentum, centered RMSprop, others). */
export function fusedRuleOf(optimizer: tf.Optimizer): FusedRule | null {
  const config = optimizer.getConfig() as Record<string, number | boolean>;
  // tfjs' optimizers answer `instanceof` for one another (duck-typed): their class names tell them apart.
  const kind = optimizer.getClassName();
  if (kind === tf.RMSPropOptimizer.className) {
    if (config.momentum !== 0 || config.centered) return null;
    return {
      kind: 'rmsprop',
      learningRate: config.learningRate as number,
      decay: config.decay as number,
      epsilon: config.epsilon as number,
    };
  }
  if (kind === tf.AdamOptimizer.className) {
    return {
      kind: 'adam',
      learningRate: config.learningRate as number,
      beta1: config.beta1 as number,
      beta2: config.beta2 as number,
      epsilon: config.epsilon as number,
    };
  }
  if (kind === tf.SGDOptimizer.className) {
    return { kind: 'sgd', learningRate: config.learningRate as number };
  }
  return null;
}

interface UpdateKernel {
  addInto(dst: number, src: number, end: number): void;
  rmsprop(p: number, g: number, ms: number, end: number, lr: number, decay: number, omd: number, eps: number): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    end: number,
    negLr: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    oneMinusAccBeta1: number,
    oneMinusAccBeta2: number,
    eps: number,
  ): void;
  sgd(p: number, g: number, end: number, negLr: number): void;
}

/** The bits of the WebAssembly API used here (TypeScript's ES2022 lib without DOM does not declare it). */
interface SharedMemory {
  readonly buffer: SharedArrayBuffer;
}
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => { exports: unknown };
      Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => SharedMemory;
    };
  }
).WebAssembly;

const kernelModule = new wasm.Module(Buffer.from(UPDATE_KERNEL_BASE64, 'base64'));
const FLOAT = 4;
const PAGE = 65536;
/**
 * The arrays in the memory, `size` floats each, by index: the parameters, the optimizer's two
 * state arrays (RMSprop's mean square in stateA; Adam's first moment in stateA, its second in
 * stateB), then one gradient array per thread from GRADIENTS on.
 */
const PARAMS = 0;
const STATE_A = 1;
const STATE_B = 2;
const GRADIENTS = 3;

/** The per-step scalars of Adam's bias correction (1 - β1ᵗ, 1 - β2ᵗ), shared with the workers. */
export type StepScalars = [oneMinusAccBeta1: number, oneMinusAccBeta2: number];

/** What a worker needs to attach to the same arrays. */
export interface FusedUpdateShare {
  rule: FusedRule;
  size: number;
  threads: number;
  memory: SharedMemory;
}

export class FusedUpdate {
  /** The model's parameters, flat; `size` is a multiple of 4. */
  readonly params: Float32Array;
  private readonly kernel: UpdateKernel;
  private accBeta1 = 0;
  private accBeta2 = 0;

  /** One gradient array per thread; `memory` is given when attaching to another thread's arrays. */
  constructor(
    readonly rule: FusedRule,
    readonly size: number,
    readonly threads: number,
    readonly memory: SharedMemory = new wasm.Memory({
      initial: Math.ceil(((GRADIENTS + threads) * size * FLOAT) / PAGE),
      maximum: Math.ceil(((GRADIENTS + threads) * size * FLOAT) / PAGE),
      shared: true,
    }),
  ) {
    if (size % 4 !== 0) throw new Error(`FusedUpdate: size ${size} is not a multiple of 4`);
    this.kernel = new wasm.Instance(kernelModule, { env: { memory } }).exports as unknown as UpdateKernel;
    this.params = this.array(PARAMS);
    if (rule.kind === 'adam') {
      this.accBeta1 = Math.fround(rule.beta1);
      this.accBeta2 = Math.fround(rule.beta2);
    }
  }

  get share(): FusedUpdateShare {
    return { rule: this.rule, size: this.size, threads: this.threads, memory: this.memory };
  }

  /** Thread `thread`'s gradient array. */
  gradients(thread: number): Float32Array {
    return this.array(GRADIENTS + thread);
  }

  /** Advances Adam's β powers as tfjs does (float32 variables multiplied once per step); call once per step. */
  nextStepScalars(): StepScalars {
    if (this.rule.kind !== 'adam') return [0, 0];
    const scalars: StepScalars = [Math.fround(1 - this.accBeta1), Math.fround(1 - this.accBeta2)];
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.rule.beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.rule.beta2));
    return scalars;
  }

  /**
   * Sums every thread's gradient array into thread 0's and applies the rule, for parameters
   * [from, to) (multiples of 4): threads can each update their own slice.
   */
  apply(from: number, to: number, [oneMinusAccBeta1, oneMinusAccBeta2]: StepScalars): void {
    // Byte offsets of [from, to) in each array, as the kernel takes them.
    const at = (array: number) => (array * this.size + from) * FLOAT;
    const bytes = (to - from) * FLOAT;
    const [params, stateA, stateB, gradients] = [at(PARAMS), at(STATE_A), at(STATE_B), at(GRADIENTS)];
    const end = params + bytes;
    for (let thread = 1; thread < this.threads; thread++) {
      this.kernel.addInto(gradients, at(GRADIENTS + thread), gradients + bytes);
    }
    const r = this.rule;
    switch (r.kind) {
      case 'rmsprop':
        return this.kernel.rmsprop(params, gradients, stateA, end, r.learningRate, r.decay, 1 - r.decay, r.epsilon);
      case 'adam':
        return this.kernel.adam(
          params,
          gradients,
          stateA,
          stateB,
          end,
          -r.learningRate,
          r.beta1,
          1 - r.beta1,
          r.beta2,
          1 - r.beta2,
          oneMinusAccBeta1,
          oneMinusAccBeta2,
          r.epsilon,
        );
      case 'sgd':
        return this.kernel.sgd(params, gradients, end, -r.learningRate);
    }
  }

  private array(index: number): Float32Array {
    return new Float32Array(this.memory.buffer, index * this.size * FLOAT, this.size);
  }
}
