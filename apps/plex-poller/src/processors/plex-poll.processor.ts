/**
 * plex-poll / poll-stream: reads one stream of one connection. A Redis lock keeps two runs of the
 * same stream from overlapping (a scheduled tick finding one running is skipped; a "sync now" is
 * put back to run right after). Blackout windows skip scheduled runs. Changed records go to the
 * mailchimp-write queue before the stream's cursor moves.
 */
import { randomUUID } from "node:crypto";

import { DelayedError } from "bullmq";
import type { Redis } from "ioredis";

import {
  ConnectionError,
  openPlexClients,
  type ConnectionService,
} from "@ml-connector/connections";
import type { TPrisma } from "@ml-connector/db";
import { enqueueWriteRecords, type TPollStreamPayload, type TProducer } from "@ml-connector/queues";
import type { TJobContext } from "@ml-connector/runtime";
import {
  activeBlackout,
  pollContacts,
  pollCustomers,
  pollOrderStream,
  pollParts,
  recordRunFailure,
  type TPollContext,
} from "@ml-connector/sync";
import type { CredentialVault } from "@ml-connector/vault";

export type TPollDeps = {
  connections: ConnectionService;
  vault: CredentialVault;
  prisma: TPrisma;
  redis: Redis;
  prefix: string;
  writes: TProducer<"mailchimpWrite">;
  maxRowsPerWindow: number;
  /** Per-record Plex reads (order lines, line prices, shipper lines) one order-side run spends. */
  orderReadsPerRun?: number;
};

/** A run renews its lock every LOCK_MS / 3; a killed run's lock lapses within LOCK_MS. */
const LOCK_MS = 90_000;

// Takes the lock over from an earlier attempt of the same job (its token starts with the job id).
const TAKE_OVER = `local held = redis.call('GET', KEYS[1])
if held == false or string.sub(held, 1, string.len(ARGV[1])) == ARGV[1] then
  return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return false`;
// Deletes the lock only if it still holds this run's token.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export function pollStreamHandler(deps: TPollDeps) {
  return async (payload: TPollStreamPayload, ctx: TJobContext): Promise<unknown> => {
    const { connectionId, stream } = payload;
    const log = ctx.log.child({ connectionId, stream });
    let connection;
    try {
      connection = await deps.connections.get(connectionId);
    } catch (err) {
      if (err instanceof ConnectionError && err.code === "NOT_FOUND")
        return { skipped: "connection removed" };
      throw err;
    }
    if (connection.status !== "active") return { skipped: `connection ${connection.status}` };
    const now = new Date();
    const blackout = activeBlackout(connection, now);
    if (blackout !== undefined && payload.trigger === "schedule") {
      log.info({ blackout }, "poll skipped, blackout window");

      return { skipped: `blackout: ${blackout}` };
    }

    const lockKey = `${deps.prefix}:poll-lock:${connectionId}:${stream}`;
    // BullMQ runs one attempt of a job at a time, so a lock held under this job's id belongs to
    // an attempt that died (SIGKILL, lost node) and was declared stalled: this attempt takes over
    // instead of waiting for the dead one's lock to lapse.
    const owner = `${ctx.job.id ?? "job"}:`;
    const token = `${owner}${randomUUID()}`;
    const taken = await deps.redis.eval(TAKE_OVER, 1, lockKey, owner, token, LOCK_MS);
    if (taken !== "OK") {
      if (payload.trigger === "schedule") return { skipped: "previous run still going" };
      await ctx.job.moveToDelayed(Date.now() + 10_000, ctx.token);
      throw new DelayedError("stream busy, manual sync runs right after");
    }
    const renew = setInterval(() => {
      void deps.redis.eval(RENEW, 1, lockKey, token, LOCK_MS).catch(() => undefined);
    }, LOCK_MS / 3);

    try {
      const clients = await openPlexClients(connection, {
        vault: deps.vault,
        redis: deps.redis,
        prefix: deps.prefix,
        log,
      });
      if (!("connect" in clients)) {
        // TODO(#5): streams of tenants reached through SOAP/UX data sources are not polled yet.
        return { skipped: "data-source connections are not polled yet" };
      }
      const pollCtx: TPollContext = {
        connection,
        plex: clients.connect,
        prisma: deps.prisma,
        log,
        now,
        signal: ctx.signal,
        jobId: ctx.job.id,
        enqueue: (entity, ids) =>
          enqueueWriteRecords(deps.writes, connectionId, entity, ids, { runId: ctx.job.id }),
      };
      if (
        stream !== "customers" &&
        stream !== "contacts" &&
        connection.mailchimp.storeId === null
      ) {
        // Orders and products live in an e-commerce store; without one, reading them is waste.
        return { skipped: "the connection has no Mailchimp e-commerce store" };
      }
      const result =
        stream === "customers"
          ? await pollCustomers(pollCtx, { maxRowsPerWindow: deps.maxRowsPerWindow })
          : stream === "contacts"
            ? await pollContacts(pollCtx)
            : stream === "parts"
              ? await pollParts(pollCtx)
              : await pollOrderStream(pollCtx, stream, {
                  maxRowsPerWindow: deps.maxRowsPerWindow,
                  readsPerRun: deps.orderReadsPerRun,
                });
      log.info({ ...result }, "plex stream polled");

      return result;
    } catch (err) {
      await recordRunFailure(
        deps.prisma,
        connectionId,
        stream,
        err instanceof Error ? err.message : String(err),
      );
      throw err;
    } finally {
      clearInterval(renew);
      await deps.redis.eval(RELEASE, 1, lockKey, token).catch(() => undefined);
    }
  };
}
