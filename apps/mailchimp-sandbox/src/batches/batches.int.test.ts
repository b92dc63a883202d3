/**
 * `/batches` ([BATCH], reference/mailchimp-api.md §3.7): answered at once as "pending", run
 * asynchronously through preprocessing and started to finished, one job at a time per account
 * at the configured operations per second, results as a gzipped tar of JSON files downloaded
 * from response_body_url and read here with a real tar reader (tar-stream) and zlib.
 */
import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";

import axios, { type AxiosInstance } from "axios";
import tarStream from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";

type TBatch = {
  id: string;
  status: string;
  total_operations: number;
  finished_operations: number;
  errored_operations: number;
  completed_at: string;
  response_body_url: string;
};
type TResult = { status_code: number; operation_id: string | null; response: string };

let sandbox: SandboxHandle;
let api: AxiosInstance;

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({
    latency: { perRequestMs: 0, perBatchMemberMs: 0 },
    batches: { operationsPerSecond: 1000, phaseDelayMs: 20 },
  });
  api = apiClient(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

async function waitUntilFinished(id: string, seen: Set<string>): Promise<TBatch> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const batch = (await api.get(`/batches/${id}`)).data as TBatch;
    seen.add(batch.status);
    if (batch.status === "finished") return batch;
    if (Date.now() > deadline) throw new Error(`batch ${id} stuck in ${batch.status}`);
    await sleep(5);
  }
}

async function readArchive(url: string): Promise<Map<string, TResult[]>> {
  const download = await axios.get<ArrayBuffer>(url, { responseType: "arraybuffer" });
  const files = new Map<string, TResult[]>();
  const extract = tarStream.extract();
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: unknown) => chunks.push(Buffer.from(chunk as Uint8Array)));
    stream.on("end", () => {
      files.set(header.name, JSON.parse(Buffer.concat(chunks).toString("utf8")) as TResult[]);
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  Readable.from(Buffer.from(download.data)).pipe(createGunzip()).pipe(extract);
  await done;

  return files;
}

describe("/batches", () => {
  it("runs operations asynchronously and serves results as a tar.gz of JSON files", async () => {
    const listId = sandbox.defaults?.listId ?? "";
    const operations = [
      ...Array.from({ length: 30 }, (_, index) => ({
        method: "PUT",
        path: `/lists/${listId}/members/buyer.${index}@northwind-metals.com`,
        operation_id: `plex-cust-${index}`,
        body: JSON.stringify({
          email_address: `buyer.${index}@northwind-metals.com`,
          status_if_new: "subscribed",
        }),
      })),
      {
        method: "PUT",
        path: `/lists/${listId}/members/x`,
        operation_id: "bad-json",
        body: "{oops",
      },
      {
        method: "PUT",
        path: `/lists/${listId}/members/test@example.com`,
        operation_id: "fake",
        body: JSON.stringify({ email_address: "test@example.com", status_if_new: "subscribed" }),
      },
      {
        method: "GET",
        path: `/lists/${listId}/members`,
        operation_id: "page",
        params: { count: 5 },
      },
    ];

    // Long phases and a slow rate on the simulated clock, stepped through by advancing it.
    sandbox.configure({ batches: { phaseDelayMs: 60_000, operationsPerSecond: 1 } });
    const submitted = await api.post("/batches", { operations });
    const id = (submitted.data as TBatch).id;
    const current = async () => (await api.get(`/batches/${id}`)).data as TBatch;
    const seen = [(await current()).status];
    sandbox.advanceClock(60_000);
    seen.push((await current()).status);
    sandbox.advanceClock(60_000);
    const started = await current();
    seen.push(started.status);
    sandbox.configure({ batches: { phaseDelayMs: 20, operationsPerSecond: 1000 } });
    sandbox.advanceClock(40_000);
    const finished = await waitUntilFinished(id, new Set());
    seen.push(finished.status);
    const files = await readArchive(finished.response_body_url);
    const results = [...files.values()].flat();

    expect(submitted.status).toBe(200);
    expect(submitted.data).toMatchObject({
      status: "pending",
      total_operations: 33,
      finished_operations: 0,
    });
    expect(seen).toEqual(["pending", "preprocessing", "started", "finished"]);
    expect(started.finished_operations).toBeLessThan(33);
    expect(finished).toMatchObject({
      total_operations: 33,
      finished_operations: 33,
      errored_operations: 2,
    });
    expect(finished.completed_at).not.toBe("");
    expect(finished.response_body_url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/batch-results\/[0-9a-f]+\.tar\.gz$/,
    );
    expect([...files.keys()]).toEqual([`${finished.id}-0.json`]);
    expect(results).toHaveLength(33);
    expect(results[0]).toMatchObject({ status_code: 200, operation_id: "plex-cust-0" });
    expect(JSON.parse(results[0]?.response ?? "{}")).toMatchObject({
      email_address: "buyer.0@northwind-metals.com",
    });
    const byId = new Map(results.map((result) => [result.operation_id, result]));
    expect(byId.get("bad-json")?.status_code).toBe(400);
    expect(JSON.parse(byId.get("bad-json")?.response ?? "{}")).toMatchObject({
      title: "JSON Parse Error",
    });
    expect(JSON.parse(byId.get("fake")?.response ?? "{}")).toMatchObject({
      title: "Invalid Resource",
    });
    expect(
      (JSON.parse(byId.get("page")?.response ?? "{}") as { members: unknown[] }).members,
    ).toHaveLength(5);
    expect(
      sandbox.member(sandbox.defaults?.accountId ?? "", listId, "buyer.29@northwind-metals.com")
        ?.status,
    ).toBe("subscribed");
  });

  it("runs one job at a time per account", async () => {
    sandbox.configure({ batches: { operationsPerSecond: 200 } });
    try {
      const operations = Array.from({ length: 40 }, () => ({ method: "GET", path: "/ping" }));
      const first = (await api.post("/batches", { operations })).data as TBatch;
      const second = (await api.post("/batches", { operations })).data as TBatch;

      let overlapped = false;
      const deadline = Date.now() + 15_000;
      for (;;) {
        const a = (await api.get(`/batches/${first.id}`)).data as TBatch;
        const b = (await api.get(`/batches/${second.id}`)).data as TBatch;
        if (a.status !== "finished" && b.status !== "pending") overlapped = true;
        if (b.status === "finished") break;
        if (Date.now() > deadline) throw new Error("batches did not finish");
        await sleep(5);
      }

      expect(overlapped).toBe(false);
    } finally {
      sandbox.configure({ batches: { operationsPerSecond: 1000 } });
    }
  });

  it("stops a job on DELETE, after which it is gone", async () => {
    sandbox.configure({ batches: { operationsPerSecond: 10 } });
    try {
      const operations = Array.from({ length: 100 }, () => ({ method: "GET", path: "/ping" }));
      const batch = (await api.post("/batches", { operations })).data as TBatch;
      const stopped = await api.delete(`/batches/${batch.id}`);

      expect(stopped.status).toBe(204);
      expect((await api.get(`/batches/${batch.id}`)).status).toBe(404);
    } finally {
      sandbox.configure({ batches: { operationsPerSecond: 1000 } });
    }
  });

  it("runs at the configured operations per second on the simulated clock", async () => {
    sandbox.configure({ batches: { operationsPerSecond: 200 } });
    try {
      const operations = Array.from({ length: 400 }, () => ({ method: "GET", path: "/ping" }));
      const batch = (await api.post("/batches", { operations })).data as TBatch;
      await sleep(100);
      const early = (await api.get(`/batches/${batch.id}`)).data as TBatch;
      // Two simulated seconds at 200 operations per second finish the job.
      sandbox.advanceClock(2_100);
      const finished = await waitUntilFinished(batch.id, new Set());

      expect(early.finished_operations).toBeLessThan(400);
      expect(finished.finished_operations).toBe(400);
    } finally {
      sandbox.configure({ batches: { operationsPerSecond: 1000 } });
    }
  });
});
