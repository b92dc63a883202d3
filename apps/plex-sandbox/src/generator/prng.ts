/**
 * Hashing and pseudo-random numbers for the plant generator. Every record is derived from
 * (seed, stream, indices) so that record i can be rebuilt on demand without generating the
 * records before it: same seed and size, same data, with nothing held in memory.
 */

/** 32-bit avalanche mix (murmur3 finaliser): a small change of input flips about half the bits. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;

  return h >>> 0;
}

/** Hash of a seed and up to four integer coordinates, as an unsigned 32-bit integer. */
export function hash32(seed: number, a: number, b = 0, c = 0, d = 0): number {
  let h = fmix32(seed ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(a + 1, 0x27d4eb2d));
  h = fmix32(h ^ Math.imul(b + 1, 0x165667b1));
  h = fmix32(h ^ Math.imul(c + 1, 0x61c88647));
  h = fmix32(h ^ Math.imul(d + 1, 0x7feb352d));

  return h;
}

/** A number in [0, 1) from a hash, for one-off decisions that need no sequence. */
export function unit(hash: number): number {
  return hash / 4_294_967_296;
}

/**
 * mulberry32: a tiny, fast generator for the sequence of values that make up one record. One
 * instance is reseeded per record instead of allocating a new generator each time.
 */
export class Rng {
  private state = 0;

  reseed(state: number): this {
    this.state = state >>> 0;

    return this;
  }

  /** Next value in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)] as T;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Hex string of `length` digits. */
  hex(length: number): string {
    let out = "";
    while (out.length < length) {
      out += Math.floor(this.next() * 4_294_967_296)
        .toString(16)
        .padStart(8, "0");
    }

    return out.slice(0, length);
  }

  digits(length: number): string {
    let out = "";
    for (let i = 0; i < length; i += 1) out += String(Math.floor(this.next() * 10));

    return out;
  }
}
