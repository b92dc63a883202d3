/**
 * POST /batches: many operations in one asynchronous job, for bulk writes beyond what batch
 * subscribe covers. Results come back as a gzipped tar of JSON files, each an array of
 * {status_code, operation_id, response} where `response` is itself a JSON string (reference
 * mailchimp-api.md §3.7). The archive link is pre-signed: it is fetched without the API key.
 */
import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import axios from "axios";
import tar from "tar-stream";

import { sleep } from "@ml-connector/runtime";

import type { MailchimpClient } from "./mailchimp.client.js";

export type TBatchOperation = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  operation_id: string;
  /** The operation's JSON body, as a string (Mailchimp's format). */
  body?: string;
};

export type TBatchStatus = {
  id: string;
  status: "pending" | "preprocessing" | "started" | "finalizing" | "finished";
  total_operations: number;
  finished_operations: number;
  errored_operations: number;
  response_body_url?: string;
};

export type TBatchResult = {
  operationId: string;
  statusCode: number;
  response: unknown;
};

export function createBatch(client: MailchimpClient, operations: TBatchOperation[]) {
  return client.post<TBatchStatus>("/batches", { operations });
}

export function getBatch(client: MailchimpClient, batchId: string) {
  return client.get<TBatchStatus>(`/batches/${encodeURIComponent(batchId)}`);
}

/** Polls until the batch is finished, reporting progress; returns the final status. */
export async function waitForBatch(
  client: MailchimpClient,
  batchId: string,
  options: { pollMs?: number; onProgress?: (status: TBatchStatus) => void; signal?: AbortSignal },
): Promise<TBatchStatus> {
  for (;;) {
    const status = await getBatch(client, batchId);
    options.onProgress?.(status);
    if (status.status === "finished") return status;
    await sleep(options.pollMs ?? 2_000, options.signal);
  }
}

function parseResponse(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Downloads and reads a finished batch's result archive. */
export async function readBatchResults(responseBodyUrl: string): Promise<TBatchResult[]> {
  const download = await axios.get<Readable>(responseBodyUrl, {
    responseType: "stream",
    timeout: 120_000,
  });
  const results: TBatchResult[] = [];
  const extract = tar.extract();

  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: unknown) => chunks.push(Buffer.from(chunk as Uint8Array)));
    stream.on("end", () => {
      if (header.type === "file" && header.name.endsWith(".json")) {
        const entries = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
        for (const entry of Array.isArray(entries) ? entries : []) {
          const item = entry as Record<string, unknown>;
          results.push({
            operationId: typeof item.operation_id === "string" ? item.operation_id : "",
            statusCode: Number(item.status_code ?? 0),
            response: parseResponse(item.response),
          });
        }
      }
      next();
    });
    stream.resume();
  });

  await pipeline(download.data, createGunzip(), extract);

  return results;
}
