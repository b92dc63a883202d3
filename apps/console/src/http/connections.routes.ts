/**
 * The console's connection API (JSON, behind the operator login):
 *   GET    /api/connections            list
 *   POST   /api/connections            create (credentials go to the vault)
 *   GET    /api/connections/:id        one connection
 *   PATCH  /api/connections/:id        change name, schedules, options, credentials
 *   DELETE /api/connections/:id        remove deliberately (secrets erased)
 *   POST   /api/connections/:id/test   check Plex and Mailchimp live, in plain words
 *   POST   /api/connections/:id/sync   "sync now": poll the streams at once (body {streams?})
 * Malformed bodies get 400 with the problems listed; never a 5xx for what a client sends.
 */
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { ZodError, z } from "zod";

import {
  ConnectionError,
  checkConnection,
  type ConnectionService,
  type TClientDeps,
} from "@ml-connector/connections";
import { ZPlexStream, type TPlexStream } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";
import { VaultError } from "@ml-connector/vault";

export type TConnectionRoutesDeps = {
  connections: ConnectionService;
  clientDeps: TClientDeps;
  log: Logger;
  /** Queues a manual poll of the given streams; returns the job ids. */
  syncNow: (connectionId: string, streams: TPlexStream[]) => Promise<string[]>;
};

const ZSyncNow = z.object({ streams: z.array(ZPlexStream).min(1).optional() }).default({});

type THandler = (req: Request, res: Response) => Promise<void>;

/** Maps what can go wrong to an HTTP answer; unknown errors are 500 and logged. */
function guarded(log: Logger, handler: THandler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    handler(req, res).catch((err: unknown) => {
      if (err instanceof ZodError) {
        const problems = err.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
        res.status(400).json({ error: "invalid connection", problems });
      } else if (err instanceof ConnectionError) {
        const status = { NOT_FOUND: 404, CONFLICT: 409, INVALID: 400 }[err.code];
        res.status(status).json({ error: err.message });
      } else if (err instanceof VaultError && err.code === "VAULT_INVALID_PAYLOAD") {
        res.status(400).json({ error: err.message });
      } else if (err instanceof Error && err.name === "MailchimpConfigError") {
        res.status(400).json({ error: err.message });
      } else {
        log.error({ err }, "connection api failed");
        next(err);
      }
    });
  };
}

function idOf(req: Request): string {
  return String(req.params.id);
}

export function connectionRoutes(deps: TConnectionRoutesDeps): Router {
  const router = Router();
  const json = express.json({ limit: "64kb" });
  const { connections, log } = deps;

  router.get(
    "/api/connections",
    guarded(log, async (_req, res) => {
      res.json({ connections: await connections.list() });
    }),
  );

  router.post(
    "/api/connections",
    json,
    guarded(log, async (req, res) => {
      const connection = await connections.create(req.body as never);
      log.info({ connectionId: connection.id }, "connection created");
      res.status(201).json(connection);
    }),
  );

  router.get(
    "/api/connections/:id",
    guarded(log, async (req, res) => {
      res.json(await connections.get(idOf(req)));
    }),
  );

  router.patch(
    "/api/connections/:id",
    json,
    guarded(log, async (req, res) => {
      const connection = await connections.update(idOf(req), req.body as never);
      log.info({ connectionId: connection.id }, "connection updated");
      res.json(connection);
    }),
  );

  router.delete(
    "/api/connections/:id",
    guarded(log, async (req, res) => {
      await connections.delete(idOf(req));
      log.info({ connectionId: idOf(req) }, "connection deleted");
      res.status(204).end();
    }),
  );

  router.post(
    "/api/connections/:id/test",
    guarded(log, async (req, res) => {
      const connection = await connections.get(idOf(req));
      const result = await checkConnection(connection, deps.clientDeps);
      log.info(
        { connectionId: connection.id, plexOk: result.plex.ok, mailchimpOk: result.mailchimp.ok },
        "connection tested",
      );
      res.json(result);
    }),
  );

  router.post(
    "/api/connections/:id/sync",
    json,
    guarded(log, async (req, res) => {
      const connection = await connections.get(idOf(req));
      const { streams } = ZSyncNow.parse(req.body ?? {});
      const chosen = streams ?? (["customers", "contacts"] as TPlexStream[]);
      const jobIds = await deps.syncNow(connection.id, chosen);
      log.info({ connectionId: connection.id, streams: chosen }, "sync now requested");
      res.status(202).json({ queued: chosen, jobIds });
    }),
  );

  return router;
}

/** JSON bodies that do not parse are the client's mistake: 400, not 500. */
export function jsonErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction) {
  const status = (err as { status?: unknown }).status;
  const type = (err as { type?: unknown }).type;
  if (type === "entity.parse.failed") {
    res.status(400).json({ error: "the body is not valid JSON" });

    return;
  }
  if (type === "entity.too.large" || status === 413) {
    res.status(413).json({ error: "the body is too large" });

    return;
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    res.status(status).json({ error: "bad request" });

    return;
  }
  next(err);
}
