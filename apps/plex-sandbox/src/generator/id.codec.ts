/**
 * Plex Connect ids are UUIDs (reference/plex-api.md §2.3). Generated records get UUIDs that carry
 * their own coordinates: the last group holds the kind and packed indices, scrambled by a keyed,
 * reversible permutation (a small Feistel network), and the other groups a check hash. So
 * `GET …/{id}` finds record i without any id → index map in memory, a random UUID is recognised
 * as unknown, and the ids look as random as real ones (valid version-4 form).
 */
import { fmix32, hash32 } from "./prng.js";

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

// Ids are built millions of times by the generator: byte → hex by table, one mix per round.
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function hex16(value: number): string {
  return HEX[(value >>> 8) & 0xff]! + HEX[value & 0xff]!;
}

function hex32(value: number): string {
  return hex16(value >>> 16) + hex16(value);
}

export class IdCodec {
  private readonly roundKeys: number[];
  private readonly checkKey: number;
  private readonly smallIds = new Map<string, string>();

  constructor(seed: number) {
    this.roundKeys = Array.from({ length: ROUNDS }, (_, round) => hash32(seed, 7001, round));
    this.checkKey = hash32(seed, 7002);
  }

  private round(value: number, round: number): number {
    return fmix32(value ^ this.roundKeys[round]!) & 0xffffff;
  }

  private permute(value: number): number {
    let left = Math.floor(value / HALF);
    let right = value % HALF;
    for (let round = 0; round < ROUNDS; round += 1) {
      const next = (left ^ this.round(right, round)) & 0xffffff;
      left = right;
      right = next;
    }

    return left * HALF + right;
  }

  private unpermute(value: number): number {
    let left = Math.floor(value / HALF);
    let right = value % HALF;
    for (let round = ROUNDS - 1; round >= 0; round -= 1) {
      const previous = (right ^ this.round(left, round)) & 0xffffff;
      right = left;
      left = previous;
    }

    return left * HALF + right;
  }

  encode(kind: TEntityKind, packed: number): string {
    const value = packed * KIND_SLOTS + ENTITY_KINDS.indexOf(kind);
    // Tenant, users, carriers and buildings are a handful of ids used on every record.
    const small = value < 256 ? this.smallIds.get(`${value}`) : undefined;
    if (small !== undefined) return small;
    const scrambled = this.permute(value);
    const check = fmix32(fmix32((value >>> 0) ^ this.checkKey) ^ Math.floor(value / 4_294_967_296));
    const extra = fmix32(check ^ 0x5bd1e995);
    const group3 = `4${HEX[(extra >>> 16) & 0x0f]!.charAt(1)}${HEX[(extra >>> 8) & 0xff]!}`;
    const variant = (8 + (extra >>> 30)).toString(16);
    const group4 = `${variant}${HEX[(check >>> 8) & 0x0f]!.charAt(1)}${HEX[check & 0xff]!}`;
    const id =
      `${hex32(fmix32(check))}-${hex16(extra)}-${group3}-${group4}-` +
      `${hex16(Math.floor(scrambled / 4_294_967_296))}${hex32(scrambled >>> 0)}`;
    if (value < 256) this.smallIds.set(`${value}`, id);

    return id;
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
