/**
 * Vault throughput on this machine against the real database (DATABASE_URL, default mlc_test):
 * raw envelope crypto, put and get per second, and master key rotation rows per second.
 *
 *   pnpm --filter @ml-connector/vault bench          (BENCH_VAULT_CONNECTIONS=250 by default)
 */
import { performance } from "node:perf_hooks";

import { createVault } from "../credential.vault.js";
import { decryptCredential, encryptCredential } from "../envelope.cipher.js";
import { rotateMasterKey } from "../key-rotation.js";
import {
  ALL_KINDS,
  createTestConnections,
  keyringOf,
  randomKeys,
  samplePayloads,
  testPrisma,
} from "../test-support/vault.fixtures.js";

const CONNECTIONS = Number(process.env.BENCH_VAULT_CONNECTIONS ?? 250);
const CONCURRENCY = 8;

function rate(count: number, startedAt: number): string {
  const seconds = (performance.now() - startedAt) / 1000;

  return `${count} in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)}/s`;
}

async function inParallel<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  });
  await Promise.all(lanes);
}

async function main(): Promise<void> {
  const keys = randomKeys([1, 2]);
  const keyringV1 = keyringOf(keys, [1], 1);
  const keyringV12 = keyringOf(keys, [1, 2], 2);
  const binding = { connectionId: "bench", kind: "plex_api_key" };
  const plaintext = Buffer.from(JSON.stringify(samplePayloads().plex_api_key));

  let startedAt = performance.now();
  const envelopes = Array.from({ length: 20_000 }, () =>
    encryptCredential(keyringV1, binding, plaintext),
  );
  console.log(`envelope encrypt: ${rate(envelopes.length, startedAt)}`);
  startedAt = performance.now();
  for (const envelope of envelopes) decryptCredential(keyringV1, binding, envelope);
  console.log(`envelope decrypt: ${rate(envelopes.length, startedAt)}`);

  const prisma = testPrisma();
  const connections = await createTestConnections(prisma, CONNECTIONS);
  try {
    const vault = createVault({ prisma, keyring: keyringV1 });
    const jobs = connections.ids.flatMap((connectionId) =>
      ALL_KINDS.map((kind) => ({ connectionId, kind })),
    );
    const payloads = samplePayloads();

    startedAt = performance.now();
    await inParallel(jobs, (job) => vault.put(job.connectionId, job.kind, payloads[job.kind]));
    console.log(`vault.put (${CONCURRENCY} concurrent): ${rate(jobs.length, startedAt)}`);

    startedAt = performance.now();
    await inParallel(jobs, (job) => vault.get(job.connectionId, job.kind));
    console.log(`vault.get (${CONCURRENCY} concurrent): ${rate(jobs.length, startedAt)}`);

    startedAt = performance.now();
    const result = await rotateMasterKey({
      prisma,
      keyring: keyringV12,
      connectionIds: connections.ids,
      batchSize: 100,
    });
    console.log(`rotation v1 -> v2 (batch 100): ${rate(result.rewrapped, startedAt)}`);
    if (result.remaining !== 0 || result.failed !== 0) {
      throw new Error(`rotation left ${result.remaining} rows, ${result.failed} failed`);
    }
  } finally {
    await connections.remove();
    await prisma.$disconnect();
  }
}

await main();
