/**
 * The receiver's parts, put together: connection lookup (cached), the group-committed inbox, the
 * dispatcher that queues process-inbox jobs after each commit, and the routes. main.ts builds it
 * for the service; tests and the benchmark build it the same way.
 */
import type { Router } from "express";

import { bulkSql, type TPrisma } from "@ml-connector/db";
import {
  InboxDispatcher,
  InboxWriter,
  WebhookEndpointCache,
  WebhookIntake,
} from "@ml-connector/engagement";
import type { TProducer } from "@ml-connector/queues";
import type { Logger } from "@ml-connector/runtime";
import type { CredentialVault } from "@ml-connector/vault";

import { webhookRouter } from "./http/webhook.routes.js";

export type TReceiverOptions = {
  prisma: TPrisma;
  vault: CredentialVault;
  producer: TProducer<"webhookEvent">;
  log: Logger;
  publicUrl: string;
  mailchimpMaxBytes: number;
  mandrillMaxBytes: number;
  maxBatch: number;
  maxInFlight: number;
  endpointCacheMs: number;
};

export type TReceiver = {
  router: Router;
  intake: WebhookIntake;
  inbox: InboxWriter;
  dispatcher: InboxDispatcher;
  endpoints: WebhookEndpointCache;
};

export function createReceiver(options: TReceiverOptions): TReceiver {
  const dispatcher = new InboxDispatcher(options.producer, options.log);
  const inbox = new InboxWriter(bulkSql(options.prisma), {
    maxBatch: options.maxBatch,
    maxInFlight: options.maxInFlight,
    onStored: (rows) => dispatcher.dispatch(rows),
  });
  const endpoints = new WebhookEndpointCache(options.prisma, options.vault, {
    ttlMs: options.endpointCacheMs,
    unknownTtlMs: Math.min(options.endpointCacheMs, 5_000),
  });
  const intake = new WebhookIntake({
    endpoints,
    inbox,
    publicUrl: options.publicUrl,
    log: options.log,
  });
  const router = webhookRouter(
    intake,
    { mailchimpMaxBytes: options.mailchimpMaxBytes, mandrillMaxBytes: options.mandrillMaxBytes },
    options.log,
  );

  return { router, intake, inbox, dispatcher, endpoints };
}
