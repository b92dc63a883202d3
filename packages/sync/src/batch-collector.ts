/**
 * Reads the results of a Mailchimp /batches job (tag changes, e-commerce customers) into the
 * audit trail: each operation's answer, failures with Mailchimp's reason. /batches runs one job at
 * a time per account, so results can take a while; the caller polls again later while pending.
 */
import type { TConnectionView } from "@ml-connector/connections";
import type { TPrisma } from "@ml-connector/db";
import { getBatch, readBatchResults, type MailchimpClient } from "@ml-connector/mailchimp-client";
import type { Logger } from "@ml-connector/runtime";

import { appendAudit, type TAuditEvent } from "./audit.writer.js";
import { maskEmailsIn } from "./customer.writer.js";

export type TBatchCollection =
  | { state: "pending"; finished: number; total: number }
  | { state: "collected"; succeeded: number; failed: number };

function describeFailure(response: unknown): string {
  if (typeof response !== "object" || response === null) return "Mailchimp refused the operation";
  const body = response as { title?: unknown; detail?: unknown };
  const text = [body.title, body.detail].filter((part) => typeof part === "string").join(": ");

  return maskEmailsIn(text === "" ? "Mailchimp refused the operation" : text);
}

export async function collectBatch(
  connection: TConnectionView,
  mailchimp: MailchimpClient,
  prisma: TPrisma,
  log: Logger,
  batchId: string,
): Promise<TBatchCollection> {
  const status = await getBatch(mailchimp, batchId);
  if (status.status !== "finished" || status.response_body_url === undefined) {
    return {
      state: "pending",
      finished: status.finished_operations,
      total: status.total_operations,
    };
  }

  const results = await readBatchResults(status.response_body_url);
  const hashes = results
    .map((result) => /^tags-([0-9a-f]{32})$/.exec(result.operationId)?.[1])
    .filter((hash): hash is string => hash !== undefined);
  const owners = new Map(
    (
      await prisma.identityLink.findMany({
        where: { connectionId: connection.id, subscriberHash: { in: hashes } },
        select: { subscriberHash: true, plexCustomerId: true, plexContactId: true },
      })
    ).map((link) => [link.subscriberHash, link]),
  );

  const audit: TAuditEvent[] = [];
  let failed = 0;
  for (const result of results) {
    const tagHash = /^tags-([0-9a-f]{32})$/.exec(result.operationId)?.[1];
    const owner = tagHash === undefined ? undefined : owners.get(tagHash);
    const customerId = /^customer-(.+)$/.exec(result.operationId)?.[1];
    const entity = owner?.plexContactId != null ? "contact" : "customer";
    const externalId =
      owner?.plexContactId ?? owner?.plexCustomerId ?? customerId ?? result.operationId;
    const operation = tagHash !== undefined ? "tags" : "ecommerce-customer";
    if (result.statusCode >= 400) {
      failed += 1;
      audit.push({
        entity,
        externalId,
        stage: "rejected",
        reason: `${operation}: ${describeFailure(result.response)}`,
        detail: { batchId, status: result.statusCode },
      });
    } else {
      audit.push({
        entity,
        externalId,
        stage: "delivered",
        detail: { batchId, operation, status: result.statusCode },
      });
    }
  }
  await appendAudit(prisma, connection.id, audit, log);
  log.info(
    { connectionId: connection.id, batchId, operations: results.length, failed },
    "mailchimp batch collected",
  );

  return { state: "collected", succeeded: results.length - failed, failed };
}
