/**
 * The console's operations API (JSON, behind the operator login):
 *   GET  /api/connections/:id/status                       streams, lag, counts, last 24 h
 *   GET  /api/connections/:id/records?entity&status&search records by state
 *   GET  /api/connections/:id/records/:entity/:externalId   one record's audit timeline
 *   POST /api/connections/:id/replay {entity, externalIds? | status?}  replay records
 */
import express, { Router, type Request, type Response } from "express";
import { z } from "zod";

import {
  openPlexClients,
  type ConnectionService,
  type TClientDeps,
} from "@ml-connector/connections";
import type { TPrisma } from "@ml-connector/db";
import { ZSyncEntity, type TSyncEntity } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";
import { auditTimeline, connectionStatus, listRecords, replayRecords } from "@ml-connector/sync";

export type TOperationsDeps = {
  connections: ConnectionService;
  prisma: TPrisma;
  clientDeps: TClientDeps;
  log: Logger;
  /** Puts records on the mailchimp-write queue (replay). */
  enqueueWrites: (
    connectionId: string,
    entity: TSyncEntity,
    externalIds: string[],
  ) => Promise<void>;
};

const ZRecordQuery = z.object({
  entity: ZSyncEntity.optional(),
  status: z
    .enum(["received", "queued", "mapped", "delivered", "rejected", "failed", "removed"])
    .optional(),
  search: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});

export const ZReplayRequest = z
  .object({
    entity: ZSyncEntity.default("customer"),
    externalIds: z.array(z.string().min(1).max(128)).min(1).max(5_000).optional(),
    status: z.enum(["rejected", "failed"]).optional(),
  })
  .refine((value) => value.externalIds !== undefined || value.status !== undefined, {
    message: "name the records (externalIds) or a state to replay (status)",
  });

/** Replays through the shared path the console pages use too. */
export async function replayFor(
  deps: TOperationsDeps,
  connectionId: string,
  request: z.output<typeof ZReplayRequest>,
  operator: string | undefined,
) {
  const connection = await deps.connections.get(connectionId);
  const clients = await openPlexClients(connection, deps.clientDeps).catch(() => undefined);

  return replayRecords(
    {
      connection,
      prisma: deps.prisma,
      log: deps.log,
      plex: clients !== undefined && "connect" in clients ? clients.connect : undefined,
      enqueue: (entity, ids) => deps.enqueueWrites(connection.id, entity, ids),
      operator,
    },
    request,
  );
}

function respond(res: Response, work: Promise<unknown>, log: Logger) {
  work.then(
    (body) => res.json(body),
    (err: unknown) => {
      if (err instanceof z.ZodError) {
        res
          .status(400)
          .json({ error: "invalid request", problems: err.issues.map((issue) => issue.message) });
      } else if (err instanceof Error && err.name === "ConnectionError") {
        res.status(404).json({ error: err.message });
      } else {
        log.error({ err }, "operations api failed");
        res
          .status(500)
          .json({ error: "the request could not be completed; see the console's log" });
      }
    },
  );
}

export function operationsRoutes(deps: TOperationsDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);

  router.get("/api/connections/:id/status", (req, res) => {
    respond(
      res,
      deps.connections
        .get(id(req))
        .then((connection) => connectionStatus(deps.prisma, connection.id)),
      deps.log,
    );
  });

  router.get("/api/connections/:id/records", (req, res) => {
    respond(
      res,
      Promise.resolve().then(async () => {
        const filter = ZRecordQuery.parse(req.query);
        const connection = await deps.connections.get(id(req));

        return { records: await listRecords(deps.prisma, connection.id, filter) };
      }),
      deps.log,
    );
  });

  router.get("/api/connections/:id/records/:entity/:externalId", (req, res) => {
    respond(
      res,
      deps.connections
        .get(id(req))
        .then((connection) =>
          auditTimeline(
            deps.prisma,
            connection.id,
            String(req.params.entity),
            String(req.params.externalId),
          ),
        ),
      deps.log,
    );
  });

  router.post("/api/connections/:id/replay", express.json({ limit: "256kb" }), (req, res) => {
    respond(
      res,
      Promise.resolve().then(() =>
        replayFor(
          deps,
          id(req),
          ZReplayRequest.parse(req.body ?? {}),
          res.locals.operator as string,
        ),
      ),
      deps.log,
    );
  });

  return router;
}
