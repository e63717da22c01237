/**
 * `java.util.Random` (the 48-bit linear congruential generator), so a seeded `States.MathRandom` /
 * `$random(seed)` is deterministic across runs, as it is on AWS (a JVM service).
 */
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;

export class JavaRandom {
  private seed: bigint;

  constructor(seed: number) {
    this.seed = (BigInt.asIntN(64, BigInt(Math.trunc(seed))) ^ MULTIPLIER) & MASK;
  }

  private next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  /** `Random.nextInt(bound)`: uniform in [0, bound). */
  nextInt(bound: number): number {
    if (bound <= 0) throw new RangeError('bound must be positive');
    if ((bound & -bound) === bound) {
      return Number((BigInt(bound) * BigInt(this.next(31))) >> 31n);
    }
    let bits: number;
    let val: number;
    do {
      bits = this.next(31);
      val = bits % bound;
    } while (bits - val + (bound - 1) > 0x7fffffff);
    return val;
  }

  /** `Random.nextDouble()`: uniform in [0, 1). */
  nextDouble(): number {
    const hi = BigInt(this.next(26)) << 27n;
    const lo = BigInt(this.next(27));
    return Number(hi + lo) * 2 ** -53;
  }
}
