/**
 * Master key rotation: re-wraps every data key that is not under the current master key version.
 *
 * No downtime: each row is updated by one short statement of its own (no lock is held while
 * crypto runs, no long transaction), and readers keep working throughout because every loaded
 * version still unwraps. The update is conditional on the row still holding the wrapped key that
 * was read, so a credential replaced concurrently (already under the current version) is left
 * alone. Idempotent and resumable: a run selects only rows whose version differs from the
 * current one, so an interrupted run is finished by running it again.
 *
 * Only the 60-byte wrapped data key and the version change; the payload ciphertext, its nonce and
 * tag are not touched, and neither is updated_at (it records when the secret was last stored).
 */
import type { TPrisma } from "@ml-connector/db";
import type { Logger } from "@ml-connector/runtime";

import { rewrapCredential } from "./envelope.cipher.js";
import type { MasterKeyring } from "./master-keyring.js";
import { VaultError, type TVaultErrorCode } from "./vault.errors.js";

export type TRotationProgress = {
  /** Rows handled so far: re-wrapped + skipped + failed. */
  done: number;
  /** Rows not under the current version when the run started. */
  total: number;
  rewrapped: number;
  /** Rows changed or deleted by someone else between read and update (nothing left to do). */
  skipped: number;
  failed: number;
};

export type TRotationFailure = {
  id: string;
  connectionId: string;
  kind: string;
  masterKeyVersion: number;
  code: TVaultErrorCode;
};

export type TRotationResult = TRotationProgress & {
  currentVersion: number;
  failures: TRotationFailure[];
  /** Rows still not under the current version after the run (0 when it completed). */
  remaining: number;
  /** Rows per master key version after the run. A version absent here can be removed. */
  rowsByVersion: Record<number, number>;
  /** True when the run stopped early (signal or maxRows); run again to resume. */
  interrupted: boolean;
};

export type TRotationOptions = {
  prisma: TPrisma;
  keyring: MasterKeyring;
  /** Rows read per query. Default 100. */
  batchSize?: number;
  /** Rotate only these connections' credentials (default: every row of the table). */
  connectionIds?: string[];
  /** Stop after this many rows (an interrupted run, for a maintenance window). */
  maxRows?: number;
  /** Stops the run after the row in hand; the rest is picked up by the next run. */
  signal?: AbortSignal;
  /** Called after every batch. */
  onProgress?: (progress: TRotationProgress) => void;
  logger?: Logger;
};

function scopeFilter(connectionIds: string[] | undefined): { connectionId?: { in: string[] } } {
  return connectionIds === undefined ? {} : { connectionId: { in: connectionIds } };
}

/** Rows per master key version (optionally for some connections only). */
export async function countCredentialsByKeyVersion(
  prisma: TPrisma,
  connectionIds?: string[],
): Promise<Record<number, number>> {
  const groups = await prisma.credential.groupBy({
    by: ["masterKeyVersion"],
    where: scopeFilter(connectionIds),
    _count: { _all: true },
  });
  const counts: Record<number, number> = {};
  for (const group of groups) counts[group.masterKeyVersion] = group._count._all;

  return counts;
}

type TReadRow = {
  id: string;
  masterKeyVersion: number;
  wrappedDataKey: Uint8Array<ArrayBuffer>;
  updatedAt: Date;
};

/**
 * Writes a re-wrapped data key if the row still holds the wrapped key that was read; false when
 * it was replaced or deleted meanwhile (a replacement is already under the current version).
 */
export async function storeRewrapped(
  prisma: TPrisma,
  read: TReadRow,
  rewrapped: { masterKeyVersion: number; wrappedDataKey: Buffer },
): Promise<boolean> {
  const { count } = await prisma.credential.updateMany({
    where: {
      id: read.id,
      masterKeyVersion: read.masterKeyVersion,
      wrappedDataKey: { equals: read.wrappedDataKey },
    },
    data: {
      masterKeyVersion: rewrapped.masterKeyVersion,
      wrappedDataKey: new Uint8Array(rewrapped.wrappedDataKey),
      // Prisma would stamp @updatedAt; keep it meaning "secret last stored".
      updatedAt: read.updatedAt,
    },
  });

  return count === 1;
}

export async function rotateMasterKey(options: TRotationOptions): Promise<TRotationResult> {
  const { prisma, keyring, logger } = options;
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error("batchSize must be a whole number of at least 1");
  }
  const current = keyring.currentVersion;
  const outdated = { ...scopeFilter(options.connectionIds), masterKeyVersion: { not: current } };

  const total = await prisma.credential.count({ where: outdated });
  const progress: TRotationProgress = { done: 0, total, rewrapped: 0, skipped: 0, failed: 0 };
  const failures: TRotationFailure[] = [];
  logger?.info({ currentVersion: current, total }, "master key rotation started");

  let afterId: string | undefined;
  let interrupted = false;
  batches: for (;;) {
    const rows = await prisma.credential.findMany({
      where: afterId === undefined ? outdated : { ...outdated, id: { gt: afterId } },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (rows.length === 0) break;

    for (const row of rows) {
      if (options.signal?.aborted === true || progress.done === options.maxRows) {
        interrupted = true;
        break batches;
      }
      afterId = row.id;
      const binding = { connectionId: row.connectionId, kind: row.kind };
      try {
        const rewrapped = rewrapCredential(keyring, binding, {
          masterKeyVersion: row.masterKeyVersion,
          wrappedDataKey: Buffer.from(row.wrappedDataKey),
          nonce: Buffer.from(row.nonce),
          authTag: Buffer.from(row.authTag),
          ciphertext: Buffer.from(row.ciphertext),
        });
        if (await storeRewrapped(prisma, row, rewrapped)) progress.rewrapped += 1;
        else progress.skipped += 1;
      } catch (err) {
        if (!(err instanceof VaultError)) throw err;
        progress.failed += 1;
        failures.push({
          ...binding,
          id: row.id,
          masterKeyVersion: row.masterKeyVersion,
          code: err.code,
        });
        logger?.warn(
          { ...binding, masterKeyVersion: row.masterKeyVersion, code: err.code },
          "credential cannot be re-wrapped",
        );
      }
      progress.done += 1;
    }
    options.onProgress?.({ ...progress });
    logger?.info({ ...progress }, "master key rotation batch done");
  }
  if (interrupted) options.onProgress?.({ ...progress });

  const remaining = await prisma.credential.count({ where: outdated });
  const rowsByVersion = await countCredentialsByKeyVersion(prisma, options.connectionIds);
  logger?.info({ ...progress, remaining, rowsByVersion, interrupted }, "master key rotation ended");

  return { ...progress, currentVersion: current, failures, remaining, rowsByVersion, interrupted };
}
