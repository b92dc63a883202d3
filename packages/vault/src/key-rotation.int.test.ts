/**
 * Master key rotation against the real test database. Each test rotates only its own connections
 * (other suites may hold credentials in the same table under keys this suite does not know).
 */
import type { TPrisma } from "@ml-connector/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { createVault } from "./credential.vault.js";
import { rewrapCredential } from "./envelope.cipher.js";
import { rotateMasterKey, storeRewrapped, type TRotationProgress } from "./key-rotation.js";
import {
  ALL_KINDS,
  createTestConnections,
  keyringOf,
  randomKeys,
  samplePayloads,
  testPrisma,
} from "./test-support/vault.fixtures.js";
import type { TCredentialPayloads } from "./credential-kinds.schema.js";

const keys = randomKeys([1, 2]);
const keyringV1 = keyringOf(keys, [1], 1);
const keyringV12 = keyringOf(keys, [1, 2], 2);
const keyringV2 = keyringOf(keys, [2], 2);

let prisma: TPrisma;
let cleanups: (() => Promise<void>)[] = [];

type TStored = { connectionId: string; payloads: TCredentialPayloads };

/** `connectionCount` connections, each with one credential of every kind, under version 1. */
async function seedUnderV1(connectionCount: number): Promise<TStored[]> {
  const created = await createTestConnections(prisma, connectionCount);
  cleanups.push(created.remove);
  const vault = createVault({ prisma, keyring: keyringV1 });
  const stored: TStored[] = [];
  for (const connectionId of created.ids) {
    const payloads = samplePayloads();
    for (const kind of ALL_KINDS) await vault.put(connectionId, kind, payloads[kind]);
    stored.push({ connectionId, payloads });
  }

  return stored;
}

async function expectAllReadable(stored: TStored[], keyring = keyringV12): Promise<void> {
  const vault = createVault({ prisma, keyring });
  for (const { connectionId, payloads } of stored) {
    for (const kind of ALL_KINDS) {
      expect(await vault.get(connectionId, kind)).toEqual(payloads[kind]);
    }
  }
}

async function rowsOf(stored: TStored[]) {
  return prisma.credential.findMany({
    where: { connectionId: { in: stored.map((s) => s.connectionId) } },
    orderBy: { id: "asc" },
  });
}

beforeAll(() => {
  prisma = testPrisma();
});

afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe("rotateMasterKey", () => {
  it("moves every row from version 1 to 2; afterwards version 1 can be removed", async () => {
    const stored = await seedUnderV1(4);
    const connectionIds = stored.map((s) => s.connectionId);
    const before = await rowsOf(stored);
    await expectAllReadable(stored);
    const progress: TRotationProgress[] = [];

    const result = await rotateMasterKey({
      prisma,
      keyring: keyringV12,
      connectionIds,
      batchSize: 7,
      onProgress: (p) => progress.push(p),
    });

    expect(result).toMatchObject({ total: 32, done: 32, rewrapped: 32, failed: 0, remaining: 0 });
    expect(result.rowsByVersion).toEqual({ 2: 32 });
    expect(progress.map((p) => p.done)).toEqual([7, 14, 21, 28, 32]);
    const after = await rowsOf(stored);
    after.forEach((row, index) => {
      const old = before[index]!;
      expect(row.masterKeyVersion).toBe(2);
      expect(Buffer.from(row.wrappedDataKey).equals(Buffer.from(old.wrappedDataKey))).toBe(false);
      expect(Buffer.from(row.ciphertext).equals(Buffer.from(old.ciphertext))).toBe(true);
      expect(Buffer.from(row.nonce).equals(Buffer.from(old.nonce))).toBe(true);
      expect(row.updatedAt).toEqual(old.updatedAt);
    });
    await expectAllReadable(stored, keyringV2);
    const oldOnly = createVault({ prisma, keyring: keyringV1 });
    await expect(oldOnly.get(connectionIds[0]!, "plex_api_key")).rejects.toMatchObject({
      code: "VAULT_UNKNOWN_KEY_VERSION",
    });
  });

  it("resumes an interrupted run; both versions decrypt meanwhile; reruns do nothing", async () => {
    const stored = await seedUnderV1(3);
    const connectionIds = stored.map((s) => s.connectionId);

    const first = await rotateMasterKey({
      prisma,
      keyring: keyringV12,
      connectionIds,
      batchSize: 4,
      maxRows: 10,
    });
    expect(first).toMatchObject({ done: 10, rewrapped: 10, remaining: 14, interrupted: true });
    expect(first.rowsByVersion).toEqual({ 1: 14, 2: 10 });
    await expectAllReadable(stored);

    const second = await rotateMasterKey({ prisma, keyring: keyringV12, connectionIds });
    expect(second).toMatchObject({ total: 14, rewrapped: 14, remaining: 0, interrupted: false });

    const third = await rotateMasterKey({ prisma, keyring: keyringV12, connectionIds });
    expect(third).toMatchObject({ total: 0, done: 0, rewrapped: 0, remaining: 0 });
    await expectAllReadable(stored, keyringV2);
  });

  it("stops at an abort signal after the row in hand", async () => {
    const stored = await seedUnderV1(2);
    const controller = new AbortController();

    const result = await rotateMasterKey({
      prisma,
      keyring: keyringV12,
      connectionIds: stored.map((s) => s.connectionId),
      batchSize: 3,
      onProgress: () => controller.abort(),
      signal: controller.signal,
    });

    expect(result).toMatchObject({ done: 3, remaining: 13, interrupted: true });
  });

  it("keeps readers working while it runs", async () => {
    const stored = await seedUnderV1(4);
    let rotating = true;
    let reads = 0;
    const reader = createVault({ prisma, keyring: keyringV12 });
    const readLoop = (async () => {
      while (rotating) {
        for (const { connectionId, payloads } of stored) {
          expect(await reader.get(connectionId, "plex_oauth_client")).toEqual(
            payloads.plex_oauth_client,
          );
          reads += 1;
        }
      }
    })();

    const result = await rotateMasterKey({
      prisma,
      keyring: keyringV12,
      connectionIds: stored.map((s) => s.connectionId),
      batchSize: 2,
    });
    rotating = false;
    await readLoop;

    expect(result.remaining).toBe(0);
    expect(reads).toBeGreaterThan(0);
  });

  it("reports a row it cannot unwrap, leaves it untouched and rotates the rest", async () => {
    const stored = await seedUnderV1(2);
    const broken = stored[0]!.connectionId;
    await prisma.$executeRaw`UPDATE credentials
        SET wrapped_data_key = set_byte(wrapped_data_key, 20, get_byte(wrapped_data_key, 20) # 1)
      WHERE connection_id = ${broken} AND kind = 'webhook_secret'`;
    const brokenBefore = await prisma.credential.findUniqueOrThrow({
      where: { connectionId_kind: { connectionId: broken, kind: "webhook_secret" } },
    });

    const result = await rotateMasterKey({
      prisma,
      keyring: keyringV12,
      connectionIds: stored.map((s) => s.connectionId),
    });

    expect(result).toMatchObject({ total: 16, rewrapped: 15, failed: 1, remaining: 1 });
    expect(result.failures).toEqual([
      {
        id: brokenBefore.id,
        connectionId: broken,
        kind: "webhook_secret",
        masterKeyVersion: 1,
        code: "VAULT_DATA_KEY_AUTH_FAILED",
      },
    ]);
    const brokenAfter = await prisma.credential.findUniqueOrThrow({
      where: { id: brokenBefore.id },
    });
    expect(brokenAfter.masterKeyVersion).toBe(1);
    expect(Buffer.from(brokenAfter.wrappedDataKey)).toEqual(
      Buffer.from(brokenBefore.wrappedDataKey),
    );
  });

  // A writer still configured with current version 1 (a replica not yet redeployed) leaves the
  // version unchanged: only the wrapped-key condition protects its new credential.
  it.each([
    ["an up-to-date writer", keyringV12],
    ["a writer still on version 1", keyringV1],
  ])("does not overwrite a credential replaced by %s mid-rotation", async (_, writerKeyring) => {
    const stored = await seedUnderV1(1);
    const connectionId = stored[0]!.connectionId;
    const replacement = samplePayloads().mailchimp_api_key;
    const writer = createVault({ prisma, keyring: writerKeyring });
    const [row] = await prisma.credential.findMany({
      where: { connectionId, kind: "mailchimp_api_key" },
    });

    // Rotation reads the row, then a writer replaces the credential, then rotation stores.
    const rewrapped = rewrapCredential(
      keyringV12,
      { connectionId, kind: row!.kind },
      {
        ...row!,
        wrappedDataKey: Buffer.from(row!.wrappedDataKey),
        nonce: Buffer.from(row!.nonce),
        authTag: Buffer.from(row!.authTag),
        ciphertext: Buffer.from(row!.ciphertext),
      },
    );
    await writer.put(connectionId, "mailchimp_api_key", replacement);
    const written = await storeRewrapped(prisma, row!, rewrapped);

    expect(written).toBe(false);
    const reader = createVault({ prisma, keyring: keyringV12 });
    expect(await reader.get(connectionId, "mailchimp_api_key")).toEqual(replacement);
  });
});
