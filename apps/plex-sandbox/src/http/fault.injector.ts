/**
 * Injected faults for resilience tests: extra latency, 5xx answers, 429 answers and dropped
 * connections, each for the next N matching calls or with a probability (drawn from a seeded
 * generator, so a run is repeatable), optionally limited to a path prefix and a method.
 */
import { z } from "zod";

import { Rng } from "../generator/prng.js";

export const ZFaultRule = z
  .object({
    type: z.enum(["latency", "error", "rate-limit", "drop"]),
    pathPrefix: z.string().startsWith("/").optional(),
    method: z.string().toUpperCase().optional(),
    /** Applies to this many matching calls, then expires. */
    times: z.number().int().positive().optional(),
    /** Applies to each matching call with this probability. */
    probability: z.number().min(0).max(1).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    status: z.number().int().min(500).max(599).optional(),
    /** Seconds announced by an injected 429. */
    retryAfterSeconds: z.number().int().min(1).max(3_600).optional(),
  })
  .strict();
export type TFaultRule = z.infer<typeof ZFaultRule>;

export type TFaultDecision =
  | { kind: "none"; delayMs: number }
  | { kind: "error"; delayMs: number; status: number }
  | { kind: "rate-limit"; delayMs: number; retryAfterSeconds: number }
  | { kind: "drop"; delayMs: number };

type TActiveRule = TFaultRule & { id: number; remaining?: number; applied: number };

export class FaultInjector {
  private rules: TActiveRule[] = [];
  private nextId = 1;
  private readonly rng = new Rng();

  constructor(seed: number) {
    this.rng.reseed(seed ^ 0x5eed);
  }

  add(rule: TFaultRule): number {
    const id = this.nextId;
    this.nextId += 1;
    this.rules.push({ ...rule, id, remaining: rule.times, applied: 0 });

    return id;
  }

  clear(): void {
    this.rules = [];
  }

  list(): TActiveRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Which faults hit this call; latency rules add up, the first terminal rule wins. */
  decide(method: string, path: string): TFaultDecision {
    let delayMs = 0;
    for (const rule of this.rules) {
      if (rule.pathPrefix !== undefined && !path.startsWith(rule.pathPrefix)) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.remaining !== undefined && rule.remaining <= 0) continue;
      if (rule.probability !== undefined && this.rng.next() >= rule.probability) continue;
      if (rule.remaining !== undefined) rule.remaining -= 1;
      rule.applied += 1;
      if (rule.type === "latency") {
        delayMs += rule.latencyMs ?? 1_000;
        continue;
      }
      this.rules = this.rules.filter((kept) => kept.remaining === undefined || kept.remaining > 0);
      if (rule.type === "error") return { kind: "error", delayMs, status: rule.status ?? 500 };
      if (rule.type === "drop") return { kind: "drop", delayMs };

      return { kind: "rate-limit", delayMs, retryAfterSeconds: rule.retryAfterSeconds ?? 30 };
    }
    this.rules = this.rules.filter((kept) => kept.remaining === undefined || kept.remaining > 0);

    return { kind: "none", delayMs };
  }
}
