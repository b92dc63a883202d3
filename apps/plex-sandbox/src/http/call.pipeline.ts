/**
 * What happens to every authenticated Plex call before its handler runs, in this order: it is
 * counted for its key, checked against the key's call budget (429 past it), exposed to the
 * injected faults, and delayed by the latency model's per-call cost. Rejected calls (401, 429) get
 * no latency, like a gateway that answers them itself.
 */
import type { NextFunction, Request, Response } from "express";

import type { TSandboxContext } from "../routes/sandbox.context.js";
import { sendRateLimited } from "./rate.limiter.js";
import { sleep } from "./sandbox.settings.js";

export type TPipelineOptions = {
  /** Whether the per-key budget applies to this surface. */
  budgeted: (ctx: TSandboxContext) => boolean;
  /** Stats/budget label of the caller, set by the surface's authentication. */
  label: (res: Response) => string;
};

export function callPipeline(ctx: TSandboxContext, options: TPipelineOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const label = options.label(res);
    const now = ctx.clock.now();
    ctx.stats.recordCall(label, now);

    if (options.budgeted(ctx)) {
      const waitMs = ctx.limiter.take(label, now);
      if (waitMs > 0) {
        ctx.stats.recordRateLimited(label);
        ctx.log.debug({ principal: label, waitMs, path: req.path }, "call refused by the budget");
        sendRateLimited(res, waitMs, ctx.settings);
        return;
      }
    }

    const fault = ctx.faults.decide(req.method, req.path);
    await sleep(fault.delayMs);
    if (fault.kind !== "none" || fault.delayMs > 0) ctx.stats.recordFault(label);
    if (fault.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (fault.kind === "error") {
      res.status(fault.status).json({
        code: "REQUEST_PROCESSING_ERROR",
        message: "The request could not be processed (injected fault).",
      });
      return;
    }
    if (fault.kind === "rate-limit") {
      ctx.stats.recordRateLimited(label);
      sendRateLimited(res, fault.retryAfterSeconds * 1000, ctx.settings);
      return;
    }

    await sleep(ctx.settings.latency.baseMs);
    next();
  };
}
