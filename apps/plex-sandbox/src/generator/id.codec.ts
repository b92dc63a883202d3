/**
 * Plex Connect ids are UUIDs (reference/plex-api.md §2.3). Generated records get UUIDs that carry
 * their own coordinates: the last group holds the kind and packed indices, scrambled by a keyed,
 * reversible permutation (a small Feistel network), and the other groups a check hash. So
 * `GET …/{id}` finds record i without any id → index map in memory, a random UUID is recognised
 * as unknown, and the ids look as random as real ones (valid version-4 form).
 */
import { hash32 } from "./prng.js";

export const ENTITY_KINDS = [
  "tenant",
  "user",
  "carrier",
  "building",
  "customer",
  "address",
  "contact",
  "part",
  "order",
  "orderLine",
  "linePrice",
  "release",
  "shipper",
  "shipperLine",
  "invoice",
] as const;
export type TEntityKind = (typeof ENTITY_KINDS)[number];

const KIND_SLOTS = 16;
const HALF = 0x1000000; // 24 bits
const ROUNDS = 4;
/** The packed coordinates must stay below this (48 bits minus 4 for the kind). */
export const MAX_PACKED = 2 ** 44;

export type TDecodedId = { kind: TEntityKind; packed: number };

export class IdCodec {
  constructor(private readonly seed: number) {}

  private round(value: number, round: number): number {
    return hash32(this.seed, 7001, value, round) & 0xffffff;
  }

  private permute(value: number): number {
    let left = Math.floor(value / HALF);
    let right = value % HALF;
    for (let round = 0; round < ROUNDS; round += 1) {
      [left, right] = [right, (left ^ this.round(right, round)) & 0xffffff];
    }

    return left * HALF + right;
  }

  private unpermute(value: number): number {
    let left = Math.floor(value / HALF);
    let right = value % HALF;
    for (let round = ROUNDS - 1; round >= 0; round -= 1) {
      [left, right] = [(right ^ this.round(left, round)) & 0xffffff, left];
    }

    return left * HALF + right;
  }

  encode(kind: TEntityKind, packed: number): string {
    const value = packed * KIND_SLOTS + ENTITY_KINDS.indexOf(kind);
    const scrambled = this.permute(value);
    const lo = value >>> 0;
    const hi = Math.floor(value / 4_294_967_296);
    const check = hash32(this.seed, 7002, lo, hi);
    const extra = hash32(this.seed, 7003, lo, hi);
    const group2 = (extra & 0xffff).toString(16).padStart(4, "0");
    const group3 = `4${((extra >>> 16) & 0xfff).toString(16).padStart(3, "0")}`;
    const variant = (8 + (extra >>> 30)).toString(16);
    const group4 = `${variant}${(check & 0xfff).toString(16).padStart(3, "0")}`;
    const group1 = (hash32(this.seed, 7004, check) >>> 0).toString(16).padStart(8, "0");

    return `${group1}-${group2}-${group3}-${group4}-${scrambled.toString(16).padStart(12, "0")}`;
  }

  /** The coordinates of a generated id, or undefined for any other string. */
  decode(id: string): TDecodedId | undefined {
    if (!isUuid(id)) return undefined;
    const lower = id.toLowerCase();
    const value = this.unpermute(parseInt(lower.slice(24), 16));
    const kind = ENTITY_KINDS[value % KIND_SLOTS];
    if (kind === undefined) return undefined;
    const packed = Math.floor(value / KIND_SLOTS);

    return this.encode(kind, packed) === lower ? { kind, packed } : undefined;
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
