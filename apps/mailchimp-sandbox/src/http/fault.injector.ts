/**
 * Faults a test can ask for through the control API: extra latency, a 5xx (or any status) with
 * Mailchimp's problem body, a 429, a body-less 403 (what Mailchimp sends "at exceptionally high
 * volumes", [FUND] §2) and a dropped connection. Rules match by method, path and account, fire a
 * number of times or with a probability, and are evaluated in the order they were added.
 */
import { z } from "zod";

import type { IdGenerator } from "../state/id-generator.js";
import { SeededRandom } from "../state/seeded-random.js";

export const ZFaultRule = z.object({
  kind: z.enum(["latency", "status", "too-many-requests", "forbidden-empty", "drop"]),
  // Upper-case HTTP method to match; any when absent.
  method: z.string().toUpperCase().optional(),
  // Regular expression tested against the API path after /{dc}/3.0 (e.g. "^/lists/[^/]+$").
  path: z.string().optional(),
  accountId: z.string().optional(),
  // For kind "status": the status to answer (5xx by default).
  status: z.number().int().min(400).max(599).default(500),
  // For kind "latency": milliseconds added before the request is handled.
  latencyMs: z.number().int().min(0).max(600_000).default(0),
  // How many requests the rule applies to; unlimited when absent.
  times: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).default(1),
});
export type TFaultRuleInput = z.input<typeof ZFaultRule>;
export type TFaultRule = z.output<typeof ZFaultRule> & { id: string; fired: number };

export type TFaultDecision = {
  extraLatencyMs: number;
  action?: { kind: "status" | "too-many-requests" | "forbidden-empty" | "drop"; status: number };
};

export class FaultInjector {
  private rules: TFaultRule[] = [];
  private readonly random: SeededRandom;

  constructor(
    private readonly ids: IdGenerator,
    seed: string,
  ) {
    this.random = new SeededRandom(`${seed}:faults`);
  }

  add(input: TFaultRuleInput): TFaultRule {
    const rule: TFaultRule = { ...ZFaultRule.parse(input), id: this.ids.hex(8), fired: 0 };
    if (rule.path !== undefined) new RegExp(rule.path);
    this.rules.push(rule);

    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);

    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly TFaultRule[] {
    return this.rules;
  }

  decide(request: { method: string; path: string; accountId: string }): TFaultDecision {
    const decision: TFaultDecision = { extraLatencyMs: 0 };

    for (const rule of this.rules) {
      if (!this.matches(rule, request)) continue;
      if (rule.probability < 1 && this.random.next() >= rule.probability) continue;

      rule.fired += 1;
      if (rule.kind === "latency") {
        decision.extraLatencyMs += rule.latencyMs;
        continue;
      }
      if (decision.action === undefined) decision.action = { kind: rule.kind, status: rule.status };
    }
    this.rules = this.rules.filter((rule) => rule.times === undefined || rule.fired < rule.times);

    return decision;
  }

  private matches(
    rule: TFaultRule,
    request: { method: string; path: string; accountId: string },
  ): boolean {
    if (rule.times !== undefined && rule.fired >= rule.times) return false;
    if (rule.method !== undefined && rule.method !== request.method) return false;
    if (rule.accountId !== undefined && rule.accountId !== request.accountId) return false;
    if (rule.path !== undefined && !new RegExp(rule.path).test(request.path)) return false;

    return true;
  }
}
