/**
 * A small seeded pseudo-random generator (mulberry32) so simulated engagement and probabilistic
 * faults repeat exactly for the same seed.
 */
import { createHash } from "node:crypto";

export class SeededRandom {
  private state: number;

  constructor(seed: string) {
    this.state = createHash("md5").update(seed).digest().readUInt32LE(0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError("cannot pick from an empty list");

    return item;
  }
}
