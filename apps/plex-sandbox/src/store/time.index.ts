/**
 * A compact index of records by time, for the date-window filters (modifiedDateBegin/End…) that
 * are Plex's only way to read incrementally (reference/plex-api.md §2.5). Two typed arrays: the
 * record times in whole seconds (sorted) and an opaque 32-bit reference to each record. A window
 * is two binary searches; memory is 8 bytes per record, so millions of records fit easily.
 */

/** Seconds are counted from 2000-01-01 so that they fit an unsigned 32-bit integer until 2136. */
const EPOCH_SECONDS = 946_684_800;

export function toIndexSeconds(ms: number): number {
  return Math.max(0, Math.floor(ms / 1000) - EPOCH_SECONDS);
}

export class TimeIndexBuilder {
  private seconds: Uint32Array;
  private refs: Uint32Array;
  private length = 0;

  constructor(initialCapacity = 1024) {
    this.seconds = new Uint32Array(Math.max(16, initialCapacity));
    this.refs = new Uint32Array(Math.max(16, initialCapacity));
  }

  add(ms: number, ref: number): void {
    if (this.length === this.seconds.length) this.grow();
    this.seconds[this.length] = toIndexSeconds(ms);
    this.refs[this.length] = ref;
    this.length += 1;
  }

  private grow(): void {
    const capacity = Math.ceil(this.seconds.length * 1.5);
    const seconds = new Uint32Array(capacity);
    seconds.set(this.seconds);
    const refs = new Uint32Array(capacity);
    refs.set(this.refs);
    this.seconds = seconds;
    this.refs = refs;
  }

  /** Sorts by time (stable, two 16-bit radix passes: linear time, no comparator calls). */
  build(): TimeIndex {
    const n = this.length;
    let keys = this.seconds.slice(0, n);
    let refs = this.refs.slice(0, n);
    // Free the growth buffers before allocating the sort buffers.
    this.seconds = new Uint32Array(0);
    this.refs = new Uint32Array(0);
    let keysOut = new Uint32Array(n);
    let refsOut = new Uint32Array(n);
    const counts = new Uint32Array(65_537);

    for (const shift of [0, 16]) {
      counts.fill(0);
      for (let at = 0; at < n; at += 1) counts[((keys[at]! >>> shift) & 0xffff) + 1]! += 1;
      for (let bucket = 0; bucket < 65_536; bucket += 1) counts[bucket + 1]! += counts[bucket]!;
      for (let at = 0; at < n; at += 1) {
        const bucket = (keys[at]! >>> shift) & 0xffff;
        const to = counts[bucket]!;
        counts[bucket] = to + 1;
        keysOut[to] = keys[at]!;
        refsOut[to] = refs[at]!;
      }
      [keys, keysOut] = [keysOut, keys];
      [refs, refsOut] = [refsOut, refs];
    }

    return new TimeIndex(keys, refs);
  }
}

export class TimeIndex {
  constructor(
    private readonly seconds: Uint32Array,
    private readonly refs: Uint32Array,
  ) {}

  get size(): number {
    return this.seconds.length;
  }

  get bytes(): number {
    return this.seconds.byteLength + this.refs.byteLength;
  }

  /** First position whose time is >= the given index seconds. */
  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.seconds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seconds[mid]! < value) lo = mid + 1;
      else hi = mid;
    }

    return lo;
  }

  /**
   * References of the records whose time may fall in [beginMs, endMs] (whole-second granularity,
   * so callers check the exact millisecond time of each record at the edges).
   */
  *range(beginMs: number, endMs: number): Generator<number> {
    const from = this.lowerBound(toIndexSeconds(beginMs));
    const to = this.lowerBound(toIndexSeconds(endMs) + 1);
    for (let at = from; at < to; at += 1) yield this.refs[at]!;
  }

  countRange(beginMs: number, endMs: number): number {
    return this.lowerBound(toIndexSeconds(endMs) + 1) - this.lowerBound(toIndexSeconds(beginMs));
  }
}
