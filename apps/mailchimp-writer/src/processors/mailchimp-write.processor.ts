/**
 * mailchimp-write: delivers records to Mailchimp.
 * - write-records: maps and writes a batch of customers (with contacts), products or sales
 *   orders, after making sure the connection's merge fields and store exist;
 * - collect-batch: reads a finished /batches job into the audit trail (an order job into the
 *   orders' state), polling again later while Mailchimp is still working on it;
 * - provision: creates merge fields and the store now (the console's "prepare" action).
 */
import type { Redis } from "ioredis";

import {
  ConnectionError,
  openMailchimpClient,
  type ConnectionService,
  type TConnectionView,
} from "@ml-connector/connections";
import type { TPrisma } from "@ml-connector/db";
import {
  enqueueWriteRecords,
  safeJobId,
  type TCollectBatchPayload,
  type TProducer,
  type TProvisionPayload,
  type TWriteRecordsPayload,
} from "@ml-connector/queues";
import type { TJobContext, TJobHandlers } from "@ml-connector/runtime";
import {
  collectBatch,
  collectOrderBatch,
  ensureProvisioned,
  provisionConnection,
  writeCustomers,
  writeOrders,
  writeProducts,
} from "@ml-connector/sync";
import type { CredentialVault } from "@ml-connector/vault";

export type TWriterDeps = {
  connections: ConnectionService;
  vault: CredentialVault;
  prisma: TPrisma;
  redis: Redis;
  prefix: string;
  writes: TProducer<"mailchimpWrite">;
};

const orderBatchKey = (prefix: string, batchId: string) => `${prefix}:order-batch:${batchId}`;

/** Waits between polls of a /batches job: 5 s, 10 s, 20 s … capped at 2 minutes. */
function collectDelayMs(round: number): number {
  return Math.min(120_000, 5_000 * 2 ** Math.min(round, 5));
}

async function openSide(deps: TWriterDeps, connectionId: string, ctx: TJobContext) {
  let connection: TConnectionView;
  try {
    connection = await deps.connections.get(connectionId);
  } catch (err) {
    if (err instanceof ConnectionError && err.code === "NOT_FOUND") return undefined;
    throw err;
  }
  const mailchimp = await openMailchimpClient(connection, {
    vault: deps.vault,
    redis: deps.redis,
    prefix: deps.prefix,
    log: ctx.log,
  });
  if (mailchimp === undefined) {
    throw new Error(
      `connection ${connectionId} has no Mailchimp credential yet (OAuth not finished)`,
    );
  }

  return { connection, mailchimp };
}

export function writerHandlers(deps: TWriterDeps): TJobHandlers<"mailchimpWrite"> {
  const scheduleCollection = async (connectionId: string, batchId: string, round: number) => {
    await deps.writes.add(
      "collect-batch",
      { connectionId, batchId, round },
      { jobId: safeJobId("collect", batchId, round), delay: collectDelayMs(round) },
    );
  };

  return {
    "write-records": async (payload: TWriteRecordsPayload, ctx: TJobContext) => {
      const side = await openSide(deps, payload.connectionId, ctx);
      if (side === undefined) return { skipped: "connection removed" };
      const { connection, mailchimp } = side;
      await ensureProvisioned(deps.redis, deps.prefix, connection, mailchimp, ctx.log);
      const writeCtx = {
        connection,
        mailchimp,
        prisma: deps.prisma,
        log: ctx.log.child({ connectionId: connection.id }),
        now: new Date(),
        jobId: ctx.job.id,
        attempt: ctx.job.attemptsStarted,
        replay: payload.replay,
        collectBatch: (batchId: string) => scheduleCollection(connection.id, batchId, 0),
      };
      switch (payload.entity) {
        case "customer":
          return writeCustomers(writeCtx, payload.externalIds);
        case "product":
          return writeProducts(writeCtx, payload.externalIds);
        case "order":
          return writeOrders(
            {
              ...writeCtx,
              enqueue: (entity, ids) =>
                enqueueWriteRecords(deps.writes, connection.id, entity, ids, {
                  runId: ctx.job.id,
                }),
              collectBatch: async (batchId: string) => {
                // Marked, so the collection reads the results as orders (order-batch.collector).
                await deps.redis.set(orderBatchKey(deps.prefix, batchId), "1", "EX", 14 * 86_400);
                await scheduleCollection(connection.id, batchId, 0);
              },
            },
            payload.externalIds,
          );
        default:
          // Contacts are written with their customer; they are never queued on their own.
          return { skipped: `entity ${payload.entity} is written with its customer` };
      }
    },

    "collect-batch": async (payload: TCollectBatchPayload, ctx: TJobContext) => {
      const side = await openSide(deps, payload.connectionId, ctx);
      if (side === undefined) return { skipped: "connection removed" };
      const { connection, mailchimp } = side;
      const orderBatch =
        (await deps.redis.exists(orderBatchKey(deps.prefix, payload.batchId))) === 1;
      const state = orderBatch
        ? await collectOrderBatch(
            {
              connection,
              mailchimp,
              prisma: deps.prisma,
              log: ctx.log,
              enqueue: (entity, ids) =>
                enqueueWriteRecords(deps.writes, connection.id, entity, ids, {
                  runId: ctx.job.id,
                }),
            },
            payload.batchId,
          )
        : await collectBatch(connection, mailchimp, deps.prisma, ctx.log, payload.batchId);
      if (state.state === "pending")
        await scheduleCollection(payload.connectionId, payload.batchId, payload.round + 1);

      return state;
    },

    provision: async (payload: TProvisionPayload, ctx: TJobContext) => {
      const side = await openSide(deps, payload.connectionId, ctx);
      if (side === undefined) return { skipped: "connection removed" };

      return provisionConnection(side.connection, side.mailchimp, ctx.log);
    },
  };
}
