/**
 * Benchmark: a plant of BENCH_CUSTOMERS customers (default 1 000 000) with contacts and orders.
 * Prints the time to build the plant's indexes, the time to generate (and serialise) every
 * customer, contact, order and order line, the time of windowed queries (in-process and over
 * HTTP), and peak RSS and heap. Target: under 1 GiB. Run with `pnpm bench` after a build.
 */
import axios from "axios";

import { startPlexSandbox } from "../plex-sandbox.js";

const customers = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const MIB = 1024 * 1024;
let peakHeap = 0;

function sampleMemory(): void {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

const figures: [string, string][] = [];
const report = (name: string, value: string): void => {
  figures.push([name, value]);
  console.log(`${name.padEnd(52)} ${value}`);
};

let startedAt = performance.now();
const sandbox = await startPlexSandbox({
  customers,
  seed: 2026,
  latency: { baseMs: 0, perRowMs: 0 },
  rateLimit: { limit: 1_000_000 },
});
const store = sandbox.store();
const state = sandbox.state();
sampleMemory();
report("customers", String(state.customers));
report(
  "orders / releases / shippers / invoices",
  `${state.orders} / ${state.releases} / ${state.shippers} / ${state.invoices}`,
);
report("plant + indexes built in", seconds(performance.now() - startedAt));
report("index memory", mib(state.indexBytes));

startedAt = performance.now();
let records = 0;
let bytes = 0;
const generated = store.generated;
for (let i = 0; i < customers; i += 1) {
  bytes += JSON.stringify(store.plant.customer(i)).length;
  records += 1;
  for (const contact of generated.contactsOf(i)) {
    bytes += JSON.stringify(contact).length;
    records += 1;
  }
  for (const facts of generated.factsOf(i)) {
    bytes += JSON.stringify(store.plant.order(facts)).length;
    records += 1;
    for (let l = 0; l < facts.lineCount; l += 1) {
      bytes += JSON.stringify(store.plant.orderLine(facts, l)).length;
      records += 1;
    }
  }
  if (i % 100_000 === 0) sampleMemory();
}
const generationMs = performance.now() - startedAt;
report(
  "customers + contacts + orders + lines generated",
  `${records} records, ${mib(bytes)} of JSON`,
);
report(
  "generation time",
  `${seconds(generationMs)} (${Math.round(records / (generationMs / 1000))} records/s)`,
);

const anchor = store.plant.anchorMs;
const day = 86_400_000;
for (const [kind, span] of [
  ["customer", day],
  ["customer", 7 * day],
  ["order", 7 * day],
  ["invoice", 7 * day],
] as const) {
  startedAt = performance.now();
  let count = 0;
  for (const record of store.list(
    kind,
    generated.modifiedWindow(kind, anchor - span, anchor),
    () => true,
  )) {
    if (typeof record.id === "string") count += 1;
  }
  report(
    `in-process window: ${kind}s modified in last ${span / day} d`,
    `${count} rows in ${(performance.now() - startedAt).toFixed(1)} ms`,
  );
}
sampleMemory();

const plex = axios.create({
  baseURL: sandbox.url,
  headers: { "X-Plex-Connect-Api-Key": sandbox.apiKey },
});
const begin = new Date(anchor - day).toISOString();
const end = new Date(anchor).toISOString();
for (const path of [
  `/mdm/v1/customers?modifiedDateBegin=${begin}&modifiedDateEnd=${end}`,
  `/sales/v1/orders?modifiedByDateBegin=${begin}&modifiedByDateEnd=${end}`,
  `/accounting/v1/ar-invoices?modifiedDateBegin=${begin}&modifiedDateEnd=${end}`,
]) {
  startedAt = performance.now();
  const response = await plex.get<unknown[]>(path);
  report(
    `HTTP window (latency 0): ${path.split("?")[0]}, 1 d`,
    `${response.data.length} rows in ${(performance.now() - startedAt).toFixed(1)} ms`,
  );
}
sandbox.settings.latency.baseMs = 150;
sandbox.settings.latency.perRowMs = 0.05;
startedAt = performance.now();
const modelled = await plex.get<unknown[]>(
  `/mdm/v1/customers?modifiedDateBegin=${begin}&modifiedDateEnd=${end}`,
);
report(
  "HTTP window with the latency model (150 ms + 0.05 ms/row)",
  `${modelled.data.length} rows in ${(performance.now() - startedAt).toFixed(1)} ms`,
);
sampleMemory();

const maxRss = process.resourceUsage().maxRSS * 1024;
report("peak RSS", mib(maxRss));
report("peak heap used", mib(peakHeap));
report("under 1 GiB", maxRss < 1024 * MIB ? "yes" : "NO");
await sandbox.close();
process.exit(maxRss < 1024 * MIB ? 0 : 1);
