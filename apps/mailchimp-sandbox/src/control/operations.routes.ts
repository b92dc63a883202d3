/**
 * Control API for running the sandbox: the simulated clock, fault rules, live configuration
 * (latency model, connection limit, webhook retries), counters, delivery logs, Mandrill webhooks
 * and events, and OAuth apps.
 */
import { Router } from "express";
import { z } from "zod";

import { ZFaultRule } from "../http/fault.injector.js";
import type { SandboxContext } from "../sandbox-context.js";
import { ControlError, handler } from "./control-http.js";
import { buildMandrillEvent, ZMandrillEventInput } from "./mandrill-events.js";

const ZAdvance = z
  .object({
    ms: z.number().min(0).default(0),
    minutes: z.number().min(0).default(0),
    hours: z.number().min(0).default(0),
  })
  .refine((value) => value.ms + value.minutes + value.hours > 0, "give ms, minutes or hours");

const ZConfigPatch = z.object({
  latency: z
    .object({ perRequestMs: z.number().min(0), perBatchMemberMs: z.number().min(0) })
    .partial()
    .optional(),
  connections: z
    .object({
      maxPerAccount: z.number().int().min(1),
      overloadResponse: z.enum(["429", "403", "mixed"]),
      forbiddenShare: z.number().min(0).max(1),
    })
    .partial()
    .optional(),
  wrongDataCenterStatus: z.enum(["401", "403"]).optional(),
  batches: z
    .object({ operationsPerSecond: z.number().positive(), phaseDelayMs: z.number().min(0) })
    .partial()
    .optional(),
  webhooks: z
    .object({
      timeoutMs: z.number().int().positive(),
      retryScheduleMs: z.array(z.number().int().min(0)),
    })
    .partial()
    .optional(),
  emails: z.object({ rejectFakeEmails: z.boolean() }).partial().optional(),
});

const ZMandrillWebhook = z.object({
  url: z.url(),
  description: z.string().max(200).optional(),
  events: z.array(z.string()).optional(),
  authKey: z.string().min(1).max(200).optional(),
});

const ZOAuthApp = z.object({
  redirectUris: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(1).max(100).optional(),
  clientSecret: z.string().min(1).max(200).optional(),
  name: z.string().max(100).optional(),
});

export function operationsRouter(ctx: SandboxContext): Router {
  const router = Router();

  router.get(
    "/clock",
    handler((_req, res) => {
      res.json({ now: ctx.clock.now().toISOString() });
    }),
  );
  router.post(
    "/clock/advance",
    handler((req, res) => {
      const step = ZAdvance.parse(req.body ?? {});
      ctx.clock.advance(step.ms + step.minutes * 60_000 + step.hours * 3_600_000);
      res.json({ now: ctx.clock.now().toISOString() });
    }),
  );

  router.get(
    "/faults",
    handler((_req, res) => {
      res.json(ctx.faults.list());
    }),
  );
  router.post(
    "/faults",
    handler((req, res) => {
      res.status(201).json(ctx.faults.add(ZFaultRule.parse(req.body ?? {})));
    }),
  );
  router.delete(
    "/faults",
    handler((_req, res) => {
      ctx.faults.clear();
      res.status(204).end();
    }),
  );
  router.delete(
    "/faults/:id",
    handler((req, res) => {
      if (!ctx.faults.remove(String(req.params.id)))
        throw new ControlError(404, "no such fault rule");
      res.status(204).end();
    }),
  );

  router.get(
    "/config",
    handler((_req, res) => {
      res.json(ctx.options);
    }),
  );
  router.patch(
    "/config",
    handler((req, res) => {
      const patch = ZConfigPatch.parse(req.body ?? {});
      Object.assign(ctx.options.latency, patch.latency);
      Object.assign(ctx.options.connections, patch.connections);
      Object.assign(ctx.options.batches, patch.batches);
      Object.assign(ctx.options.emails, patch.emails);
      if (patch.wrongDataCenterStatus !== undefined)
        ctx.options.wrongDataCenterStatus = patch.wrongDataCenterStatus;
      if (patch.webhooks !== undefined) {
        Object.assign(ctx.options.webhooks, patch.webhooks);
        ctx.listWebhooks.queue.configure(patch.webhooks);
      }
      res.json(ctx.options);
    }),
  );

  router.get(
    "/stats",
    handler((_req, res) => {
      res.json(statsSnapshot(ctx));
    }),
  );
  router.post(
    "/stats/reset",
    handler((_req, res) => {
      ctx.stats.reset();
      for (const account of ctx.accounts.all()) {
        Object.assign(account.stats, {
          peakInFlight: account.stats.inFlight,
          rejectedTooMany: 0,
          rejectedForbidden: 0,
          requests: 0,
        });
      }
      res.json(statsSnapshot(ctx));
    }),
  );

  router.get(
    "/webhook-deliveries",
    handler((req, res) => {
      const kind = req.query.kind === "mandrill" ? ctx.mandrill.queue : ctx.listWebhooks.queue;
      res.json(kind.all());
    }),
  );
  router.get(
    "/events",
    handler((_req, res) => {
      res.json(ctx.events.history());
    }),
  );

  router.get(
    "/mandrill/webhooks",
    handler((_req, res) => {
      res.json(ctx.mandrill.list());
    }),
  );
  router.post(
    "/mandrill/webhooks",
    handler((req, res) => {
      res.status(201).json(ctx.mandrill.add(ZMandrillWebhook.parse(req.body ?? {})));
    }),
  );
  router.delete(
    "/mandrill/webhooks/:id",
    handler((req, res) => {
      if (ctx.mandrill.remove(Number(req.params.id)) === undefined)
        throw new ControlError(404, "no such webhook");
      res.status(204).end();
    }),
  );
  router.post(
    "/mandrill/events",
    handler((req, res) => {
      const { events } = z
        .object({ events: z.array(ZMandrillEventInput).min(1).max(10_000) })
        .parse(req.body ?? {});
      const built = events.map((event) => buildMandrillEvent(ctx, event));
      res.status(202).json({ posts: ctx.mandrill.deliver(built), events: built });
    }),
  );

  router.post(
    "/oauth/apps",
    handler((req, res) => {
      res.status(201).json(ctx.oauth.registerApp(ZOAuthApp.parse(req.body ?? {})));
    }),
  );

  return router;
}

export function statsSnapshot(ctx: SandboxContext) {
  return {
    requests: ctx.stats.snapshot(),
    accounts: ctx.accounts
      .all()
      .map((account) => ({ id: account.id, dc: account.dc, ...account.stats })),
    scheduledTasks: ctx.scheduler.pending,
  };
}
