/**
 * Benchmarks of the sandbox itself, printed as figures (`pnpm --filter
 * @ml-connector/mailchimp-sandbox bench`): what the latency model costs a client, how fast the
 * sandbox answers with latency switched off, how much memory a member takes, and how fast
 * webhooks go out. Set BENCH_MEMBERS to change the memory test size (default 50 000).
 */
import { setTimeout as sleep } from "node:timers/promises";

import axios, { type AxiosInstance } from "axios";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";
import { apiClient } from "../test-support/api-client.js";
import { startWebhookReceiver } from "../test-support/webhook-receiver.js";

type TFigure = { bench: string; value: number; unit: string; note?: string };
const figures: TFigure[] = [];

function report(figure: TFigure): void {
  figures.push(figure);
  console.log(`${figure.bench.padEnd(58)} ${String(figure.value).padStart(10)} ${figure.unit}`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();

  return [result, performance.now() - started];
}

/** Runs `total` calls with at most `concurrency` in flight; returns each call's duration. */
async function pool(total: number, concurrency: number, call: (index: number) => Promise<unknown>) {
  const durations: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const index = next;
      next += 1;
      const [, ms] = await timed(() => call(index));
      durations.push(ms);
    }
  };
  const [, wallMs] = await timed(() => Promise.all(Array.from({ length: concurrency }, worker)));

  return { durations, wallMs };
}

function member(index: number, prefix: string) {
  const email = `${prefix}.${index}@bench-foundry.com`;

  return {
    email,
    body: { email_address: email, status_if_new: "subscribed", merge_fields: { FNAME: "Bench" } },
  };
}

async function latencyModel(sandbox: SandboxHandle, api: AxiosInstance, listId: string) {
  sandbox.configure({ latency: { perRequestMs: 120, perBatchMemberMs: 2 } });
  const single = await pool(50, 1, (index) => {
    const { email, body } = member(index, "model");
    return api.put(`/lists/${listId}/members/${email}`, body);
  });
  report({
    bench: "PUT member, default latency model, p50",
    value: Math.round(percentile(single.durations, 50)),
    unit: "ms",
  });

  const ten = await pool(300, 10, (index) => {
    const { email, body } = member(index, "model10");
    return api.put(`/lists/${listId}/members/${email}`, body);
  });
  report({
    bench: "PUT member, default latency, 10 in flight",
    value: Math.round((300 / ten.wallMs) * 1000),
    unit: "req/s",
  });

  const members = Array.from({ length: 500 }, (_, index) => ({
    email_address: member(index, "batch").email,
    status: "subscribed",
  }));
  const [, batchMs] = await timed(() =>
    api.post(`/lists/${listId}`, { members, update_existing: true }),
  );
  report({
    bench: "batch subscribe 500 members, default latency model",
    value: Math.round(batchMs),
    unit: "ms",
  });
}

async function rawSpeed(sandbox: SandboxHandle, api: AxiosInstance, listId: string) {
  sandbox.configure({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
  const run = await pool(3_000, 10, (index) => {
    const { email, body } = member(index, "raw");
    return api.put(`/lists/${listId}/members/${email}`, body);
  });
  report({
    bench: "PUT member, latency 0, 10 in flight",
    value: Math.round((3_000 / run.wallMs) * 1000),
    unit: "req/s",
  });
  report({
    bench: "PUT member, latency 0, p99",
    value: Number(percentile(run.durations, 99).toFixed(1)),
    unit: "ms",
  });
}

async function batchesRate(api: AxiosInstance, listId: string) {
  const operations = Array.from({ length: 1_000 }, (_, index) => {
    const { email, body } = member(index, "ops");
    return { method: "PUT", path: `/lists/${listId}/members/${email}`, body: JSON.stringify(body) };
  });
  const [submitted, wallMs] = await timed(async () => {
    const batch = (await api.post("/batches", { operations })).data as { id: string };
    for (;;) {
      const status = (await api.get(`/batches/${batch.id}`)).data as {
        status: string;
        response_body_url: string;
      };
      if (status.status === "finished") return status;
      await sleep(50);
    }
  });
  const archive = await axios.get<ArrayBuffer>(submitted.response_body_url, {
    responseType: "arraybuffer",
  });
  report({
    bench: "/batches 1000 PUTs at 200 ops/s (wall clock)",
    value: Math.round(wallMs),
    unit: "ms",
  });
  report({
    bench: "/batches 1000 PUTs result archive",
    value: archive.data.byteLength,
    unit: "bytes",
  });
}

async function memoryPerMember(sandbox: SandboxHandle, api: AxiosInstance) {
  const total = Number(process.env.BENCH_MEMBERS ?? 50_000);
  const listId = sandbox.createList(sandbox.defaults?.accountId ?? "", { name: "Memory" }).id;
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let start = 0; start < total; start += 500) {
    const members = Array.from({ length: Math.min(500, total - start) }, (_, offset) => ({
      email_address: member(start + offset, "mem").email,
      status: "subscribed",
      merge_fields: { FNAME: "Member", LNAME: `No ${start + offset}` },
    }));
    await api.post(`/lists/${listId}`, { members });
  }
  global.gc?.();
  const after = process.memoryUsage().heapUsed;
  report({
    bench: `heap per member (${total} members)`,
    value: Math.round((after - before) / total),
    unit: "bytes",
  });
  report({
    bench: "heap used after the memory test",
    value: Math.round(after / 1024 / 1024),
    unit: "MiB",
  });
}

async function webhookSpeed(sandbox: SandboxHandle, api: AxiosInstance) {
  const receiver = await startWebhookReceiver();
  const accountId = sandbox.defaults?.accountId ?? "";
  const listId = sandbox.createList(accountId, { name: "Webhooks" }).id;
  await api.post(`/lists/${listId}/webhooks`, { url: `${receiver.url}/hook` });
  const count = 1_000;
  const [, ms] = await timed(async () => {
    for (let index = 0; index < count; index += 1) {
      sandbox.subscriberAction(accountId, listId, {
        action: "subscribe",
        email: member(index, "hook").email,
      });
    }
    await receiver.waitFor(count + 1, 60_000);
  });
  report({
    bench: "list webhook deliveries to a local receiver",
    value: Math.round((count / ms) * 1000),
    unit: "deliveries/s",
  });
  await receiver.close();
}

const sandbox = await startMailchimpSandbox();
const api = apiClient(sandbox);
const listId = sandbox.defaults?.listId ?? "";
console.log(`mailchimp-sandbox bench — node ${process.version}, ${new Date().toISOString()}`);
try {
  await latencyModel(sandbox, api, listId);
  await rawSpeed(sandbox, api, listId);
  await batchesRate(api, listId);
  await memoryPerMember(sandbox, api);
  await webhookSpeed(sandbox, api);
} finally {
  await sandbox.close();
}
console.log(JSON.stringify({ figures }));
