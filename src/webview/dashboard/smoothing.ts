// TensorBoard's smoothing: an exponential moving average, debiased so the first points are not
// dragged towards zero. weight 0 = raw values, weight → 1 = ever smoother.

export class EmaSmoother {
  private last = 0;
  private count = 0;

  constructor(readonly weight: number) {}

  push(value: number): number {
    if (!Number.isFinite(value)) return value;
    this.last = this.last * this.weight + (1 - this.weight) * value;
    this.count++;
    const debias = this.weight === 1 ? 1 : 1 - Math.pow(this.weight, this.count);
    return this.last / debias;
  }
}
