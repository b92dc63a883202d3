/**
 * The sandbox's control API under /_sandbox (no Plex path starts with an underscore, so nothing
 * collides): change data, add orders and shipments, inject faults, set the latency model and the
 * budget, move the clock, reset or reseed, and inspect what clients wrote and how they called.
 * It takes no credentials: the sandbox is a test and demo tool, never exposed as a real service.
 */
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { z } from "zod";

import { ENTITY_KINDS } from "../generator/id.codec.js";
import { ZFaultRule } from "../http/fault.injector.js";
import { parsePlexDateTime } from "../http/query.parser.js";
import { MutationError } from "../store/plant.mutations.js";
import type { TPlexSandboxHandle } from "../plex-sandbox.js";

export const CONTROL_PREFIX = "/_sandbox";

const ZReset = z
  .object({
    seed: z.number().int().optional(),
    customers: z.number().int().min(0).max(5_000_000).optional(),
    parts: z.number().int().min(1).max(1_000_000).optional(),
    anchor: z
      .string()
      .refine((value) => parsePlexDateTime(value) !== undefined)
      .optional(),
  })
  .strict();
const ZAdvance = z
  .object({ ms: z.number().int().min(0).optional(), seconds: z.number().min(0).optional() })
  .strict();
const ZLatency = z
  .object({
    baseMs: z.number().min(0).max(60_000).optional(),
    perRowMs: z.number().min(0).max(100).optional(),
  })
  .strict();
const ZRateLimit = z
  .object({
    limit: z.number().int().min(1).optional(),
    windowMs: z.number().int().min(1).optional(),
    retryAfterHeader: z.boolean().optional(),
    dataSources: z.boolean().optional(),
  })
  .strict();
const ZTouch = z
  .object({
    kind: z.enum(["customer", "order", "release", "shipper", "invoice"]),
    count: z.number().int().min(1).max(100_000),
  })
  .strict();
const ZOrder = z
  .object({
    customerId: z.uuid(),
    poNumber: z.string().optional(),
    lines: z
      .array(
        z.object({
          partId: z.uuid(),
          quantity: z.number().int().positive(),
          price: z.number().positive().optional(),
        }),
      )
      .min(1)
      .max(50),
  })
  .strict();
const ZShip = z
  .object({
    quantity: z.number().int().positive().optional(),
    trackingNumber: z.string().max(60).optional(),
    carrierIndex: z.number().int().min(0).optional(),
  })
  .strict();
const ZPay = z
  .object({
    paidDate: z
      .string()
      .refine((value) => parsePlexDateTime(value) !== undefined)
      .optional(),
  })
  .strict();
const ZFields = z.record(z.string(), z.unknown());

function body<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  res.status(400).json({
    error: "invalid body",
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message: issue.message,
    })),
  });

  return undefined;
}

export function controlRoutes(sandbox: TPlexSandboxHandle): Router {
  const router = express.Router();
  router.use(express.json({ limit: "1mb" }));

  router.get("/state", (_req, res) => {
    res.json(sandbox.state());
  });
  router.post("/reset", (req, res) => {
    const options = body(ZReset, req, res);
    if (options === undefined) return;
    sandbox.reset(options);
    res.json(sandbox.state());
  });
  router.get("/clock", (_req, res) => {
    res.json({ now: sandbox.clock.nowIso() });
  });
  router.post("/clock/advance", (req, res) => {
    const advance = body(ZAdvance, req, res);
    if (advance === undefined) return;
    sandbox.advanceClock((advance.ms ?? 0) + (advance.seconds ?? 0) * 1000);
    res.json({ now: sandbox.clock.nowIso() });
  });
  router.get("/latency", (_req, res) => {
    res.json(sandbox.settings.latency);
  });
  router.put("/latency", (req, res) => {
    const latency = body(ZLatency, req, res);
    if (latency === undefined) return;
    Object.assign(sandbox.settings.latency, latency);
    res.json(sandbox.settings.latency);
  });
  router.get("/rate-limit", (_req, res) => {
    res.json(sandbox.settings.rateLimit);
  });
  router.put("/rate-limit", (req, res) => {
    const rateLimit = body(ZRateLimit, req, res);
    if (rateLimit === undefined) return;
    Object.assign(sandbox.settings.rateLimit, rateLimit);
    res.json(sandbox.settings.rateLimit);
  });

  router.get("/faults", (_req, res) => {
    res.json(sandbox.faults.list());
  });
  router.post("/faults", (req, res) => {
    const rule = body(ZFaultRule, req, res);
    if (rule === undefined) return;
    res.status(201).json({ id: sandbox.faults.add(rule) });
  });
  router.delete("/faults", (_req, res) => {
    sandbox.faults.clear();
    res.status(204).end();
  });

  router.get("/stats", (_req, res) => {
    res.json(sandbox.stats.snapshot());
  });
  router.delete("/stats", (_req, res) => {
    sandbox.stats.reset();
    res.status(204).end();
  });
  router.get("/activities", (req, res) => {
    const code = typeof req.query.customerCode === "string" ? req.query.customerCode : undefined;
    res.json(
      [...sandbox.store().activities.values()].filter(
        (a) => code === undefined || a.customerCode === code,
      ),
    );
  });
  router.get("/writes", (_req, res) => {
    res.json(sandbox.store().writes);
  });

  router.get("/records/:kind/:id", (req, res) => {
    const kind = ENTITY_KINDS.find((name) => name === req.params.kind);
    const record =
      kind === undefined ? undefined : sandbox.store().get(kind, String(req.params.id));
    if (record === undefined) res.status(404).json({ error: "no such record" });
    else res.json(record);
  });
  router.patch("/records/:kind/:id", (req, res) => {
    const kind = ENTITY_KINDS.find((name) => name === req.params.kind);
    const changes = body(ZFields, req, res);
    if (changes === undefined) return;
    if (kind === undefined) {
      res.status(400).json({ error: `unknown kind; one of ${ENTITY_KINDS.join(", ")}` });
      return;
    }
    res.json(sandbox.mutations.update(kind, String(req.params.id), changes));
  });
  router.post("/touch", (req, res) => {
    const touch = body(ZTouch, req, res);
    if (touch === undefined) return;
    res.json({ ids: sandbox.mutations.touch(touch.kind, touch.count) });
  });
  router.post("/customers", (req, res) => {
    const fields = body(ZFields, req, res);
    if (fields === undefined) return;
    res.status(201).json(sandbox.mutations.createCustomer(fields));
  });
  router.post("/orders", (req, res) => {
    const order = body(ZOrder, req, res);
    if (order === undefined) return;
    res.status(201).json(sandbox.mutations.createOrder(order));
  });
  router.post("/releases/:id/ship", (req, res) => {
    const ship = body(ZShip, req, res);
    if (ship === undefined) return;
    res.status(201).json(sandbox.mutations.shipRelease(String(req.params.id), ship));
  });
  router.post("/releases/:id/cancel", (req, res) => {
    res.json(sandbox.mutations.cancelRelease(String(req.params.id)));
  });
  router.post("/invoices/:id/pay", (req, res) => {
    const pay = body(ZPay, req, res);
    if (pay === undefined) return;
    res.json(sandbox.mutations.payInvoice(String(req.params.id), pay.paidDate));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof MutationError) {
      res.status(err.status).json({ error: err.message });
      return;
    }
    next(err);
  });

  return router;
}
