/**
 * plex-writeback / write-activities: puts a customer's pending interactions into Plex Activity
 * Manager, one activity per campaign (or Mandrill message, or subscription change), keyed by the
 * customer's code (reference plex-api.md §4). An existing activity is updated with PUT and the
 * *full* comments list, because PUT replaces every field it is given ("any existing values are
 * cleared and replaced"). The job is debounced per customer, so a burst of events costs one call
 * per activity; every call also waits for the connection's shared PlexCallBudget.
 *
 * Crash safety: the activity row is marked "creating" before the POST; if the process dies before
 * the answer is recorded, the next run looks the activity up by customer code and name (which
 * carries a unique reference) before creating another.
 */
import { bulkSql, withBulkTransaction } from "@ml-connector/db";
import { PlexApiError, ZPlexActivity, type PlexConnectClient } from "@ml-connector/plex-client";
import { appendAudit } from "@ml-connector/sync";

import { loadActivity, markCreating, mergeComments, recordWritten } from "./activity.store.js";
import { AUDIT_ENTITY } from "./inbox.processor.js";
import {
  loadPendingInteractions,
  markInteractions,
  type TPendingInteraction,
} from "./interaction.store.js";
import type { TWritebackContext } from "./writeback.context.js";

const ACTIVITY_PATH = "/management/v1/activity-manager";

export type TActivitySettings = {
  /** Plex's allowed values are tenant set-up lists (unconfirmed, reference plex-api.md §4). */
  activityType: string;
  activityStatus: string;
  /** Comments kept per activity; older lines are summarised in the first one. */
  maxComments: number;
};

export type TActivityWriteContext = TWritebackContext & {
  plex: PlexConnectClient;
  settings: TActivitySettings;
  signal?: AbortSignal;
};

export type TActivityWriteResult = {
  interactions: number;
  created: number;
  updated: number;
  rejected: number;
};

/** Interactions taken per run; a customer with more gets another run at once. */
const BATCH = 2_000;

export async function writeCustomerActivities(
  ctx: TActivityWriteContext,
  connectionId: string,
  plexCustomerId: string,
): Promise<TActivityWriteResult> {
  const sql = bulkSql(ctx.prisma);
  const pending = await loadPendingInteractions(sql, connectionId, plexCustomerId, BATCH);
  const result: TActivityWriteResult = {
    interactions: pending.length,
    created: 0,
    updated: 0,
    rejected: 0,
  };
  const groups = new Map<string, TPendingInteraction[]>();
  for (const interaction of pending) {
    groups.set(interaction.activityKey, [
      ...(groups.get(interaction.activityKey) ?? []),
      interaction,
    ]);
  }

  for (const [activityKey, interactions] of groups) {
    const outcome = await writeOne(ctx, connectionId, activityKey, interactions);
    result[outcome] += 1;
  }
  if (pending.length === BATCH) await ctx.schedule.writeActivities(connectionId, [plexCustomerId]);
  if (groups.size > 0) {
    ctx.log.info({ connectionId, plexCustomerId, ...result }, "plex activities written");
  }

  return result;
}

async function writeOne(
  ctx: TActivityWriteContext,
  connectionId: string,
  activityKey: string,
  interactions: TPendingInteraction[],
): Promise<"created" | "updated" | "rejected"> {
  const sql = bulkSql(ctx.prisma);
  const ids = interactions.map((item) => item.id);
  const common = {
    jobId: ctx.jobId,
    attempt: ctx.attempt,
    entity: AUDIT_ENTITY,
    externalId: activityKey,
  };
  const row = await loadActivity(sql, connectionId, activityKey);
  if (row === undefined) {
    // Every producer seeds the activity with its interactions; a missing row is a bug to see.
    throw new Error(`activity ${activityKey} has interactions but no activity row`);
  }
  const customerCode = row.plexCustomerCode;
  const lines = interactions.map((item) => item.line);
  const comments = mergeComments(row.comments, lines, ctx.settings.maxComments);

  let activityId = row.plexActivityId ?? undefined;
  if (activityId === undefined && row.status === "creating") {
    activityId = await findOwnActivity(ctx, customerCode, row.activityName);
  }
  let method: "POST" | "PUT" = activityId === undefined ? "POST" : "PUT";
  try {
    if (activityId !== undefined) {
      try {
        // Replace semantics: the full list, or Plex keeps only what this call sends.
        await ctx.plex.put(
          `${ACTIVITY_PATH}/{id}`,
          { comments },
          { pathParams: { id: activityId }, signal: ctx.signal },
        );
      } catch (err) {
        // Deleted in Plex by a user: write it again as a new activity rather than lose history.
        if (!(err instanceof PlexApiError && err.status === 404)) throw err;
        activityId = undefined;
        method = "POST";
      }
    }
    if (activityId === undefined) {
      await markCreating(sql, connectionId, activityKey);
      const created = await ctx.plex.post(
        ACTIVITY_PATH,
        {
          activityName: row.activityName,
          description: row.description ?? undefined,
          activityType: ctx.settings.activityType,
          activityStatus: ctx.settings.activityStatus,
          customerCode,
          private: false,
          comments,
        },
        { signal: ctx.signal },
      );
      activityId = ZPlexActivity.parse(created).activityId ?? undefined;
      if (activityId === undefined) {
        throw new Error("Plex created the activity but sent no activityId");
      }
    }
  } catch (err) {
    if (err instanceof PlexApiError && !err.retryable && err.kind !== "auth") {
      const reason = `Plex refused the activity: ${err.message}`;
      await withBulkTransaction(ctx.prisma, async (tx) => {
        await markInteractions(tx, ids, "rejected", reason);
        await appendAudit(
          tx,
          connectionId,
          [
            {
              ...common,
              stage: "rejected",
              reason,
              detail: { status: err.status, code: err.code ?? null, interactions: ids.length },
            },
          ],
          ctx.log,
        );
      });

      return "rejected";
    }
    const reason = err instanceof Error ? err.message : String(err);
    await appendAudit(
      ctx.prisma,
      connectionId,
      [{ ...common, stage: "failed", reason, detail: { method } }],
      ctx.log,
    );
    throw err;
  }

  const written = activityId;
  await withBulkTransaction(ctx.prisma, async (tx) => {
    await recordWritten(tx, connectionId, activityKey, written, comments);
    await markInteractions(tx, ids, "written");
    await appendAudit(
      tx,
      connectionId,
      [
        {
          ...common,
          stage: "delivered",
          detail: {
            method,
            plexActivityId: written,
            customerCode,
            comments: comments.length,
            interactions: ids.length,
          },
        },
      ],
      ctx.log,
    );
  });

  return method === "POST" ? "created" : "updated";
}

/** After a crash between POST and recording its answer: the activity Plex may already have. */
async function findOwnActivity(
  ctx: TActivityWriteContext,
  customerCode: string,
  activityName: string,
): Promise<string | undefined> {
  const found = await ctx.plex.list(ACTIVITY_PATH, {
    query: { customerCode, activityName },
    signal: ctx.signal,
  });
  for (const item of found) {
    const activity = ZPlexActivity.safeParse(item);
    if (activity.success && activity.data.activityName === activityName) {
      return activity.data.activityId ?? undefined;
    }
  }

  return undefined;
}
