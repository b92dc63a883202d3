/**
 * "Only the vault sees plaintext": after a full run (store, read, describe, rotate, and every
 * failure the vault can report), no secret appears in the logger's output, in any vault error
 * (message, stack, JSON) or in the credentials table dumped as text.
 */
import type { TPrisma } from "@ml-connector/db";
import { createLogger, type Logger } from "@ml-connector/runtime";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TCredentialKind } from "./credential-kinds.schema.js";
import { createVault } from "./credential.vault.js";
import { encryptCredential, toColumns } from "./envelope.cipher.js";
import { rotateMasterKey } from "./key-rotation.js";
import {
  ALL_KINDS,
  createTestConnections,
  findLeaks,
  keyringOf,
  randomKeys,
  samplePayloads,
  secretsOf,
  testPrisma,
} from "./test-support/vault.fixtures.js";

const keys = randomKeys([1, 2]);
let prisma: TPrisma;
let connections: { ids: string[]; remove: () => Promise<void> };

function memoryLogger(level = "debug"): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({
    service: "vault-test",
    level,
    destination: { write: (line: string) => lines.push(line) },
  });

  return { log, lines };
}

/** Runs `action`, returns the error it throws (fails the test if it throws none). */
async function errorOf(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (err) {
    expect(err).toBeInstanceOf(Error);

    return err as Error;
  }
  throw new Error("expected an error");
}

function errorText(err: Error): string {
  return [err.message, err.stack ?? "", JSON.stringify(err), String(err)].join("\n");
}

beforeAll(async () => {
  prisma = testPrisma();
  connections = await createTestConnections(prisma, 3);
});

afterAll(async () => {
  await connections.remove();
  await prisma.$disconnect();
});

describe("no plaintext outside the vault", () => {
  it("leaves no secret in logs, errors or the table after a full run", async () => {
    const { log, lines } = memoryLogger();
    const [first, second, third] = connections.ids as [string, string, string];
    const v1 = createVault({ prisma, keyring: keyringOf(keys, [1], 1), logger: log });
    const v12 = createVault({ prisma, keyring: keyringOf(keys, [1, 2], 2), logger: log });
    const payloads = [samplePayloads(), samplePayloads()];
    const secrets = payloads.flatMap((p) => secretsOf(p));
    const errors: Error[] = [];

    for (const [index, connectionId] of [first, second].entries()) {
      for (const kind of ALL_KINDS) await v1.put(connectionId, kind, payloads[index]![kind]);
    }
    for (const kind of ALL_KINDS) {
      const payload = await v12.get(first, kind);
      // What a careless client might do with a credential: the logger must still hide it.
      log.info({ connectionId: first, kind, credential: payload }, "credential in hand");
      log.warn({ upstream: `401 for key ${JSON.stringify(payload)}` }, "upstream refused");
    }
    log.info({ listed: await v12.list(first) }, "credentials listed");
    await rotateMasterKey({
      prisma,
      keyring: keyringOf(keys, [1, 2], 2),
      connectionIds: connections.ids,
      logger: log,
    });

    const leakedSecret = `cs-${randomUUID()}`;
    errors.push(
      await errorOf(() => v12.get(third, "plex_api_key")),
      await errorOf(() => v12.get(first, "no_such_kind" as TCredentialKind)),
      await errorOf(() =>
        v12.put(first, "plex_oauth_client", {
          clientId: leakedSecret,
          clientSecret: `${leakedSecret} `,
          tokenUrl: leakedSecret,
        }),
      ),
      await errorOf(() =>
        v12.put("vault-test-missing", "webhook_secret", payloads[0]!.webhook_secret),
      ),
      await errorOf(() =>
        createVault({ prisma, keyring: keyringOf(keys, [1], 1) }).get(first, "plex_api_key"),
      ),
    );
    await prisma.$executeRaw`UPDATE credentials SET ciphertext = set_byte(ciphertext, 2, 0)
      WHERE connection_id = ${second} AND kind = 'plex_ux_basic'`;
    await prisma.$executeRaw`UPDATE credentials
        SET wrapped_data_key = set_byte(wrapped_data_key, 30, 0)
      WHERE connection_id = ${second} AND kind = 'plex_soap_basic'`;
    errors.push(
      await errorOf(() => v12.get(second, "plex_ux_basic")),
      await errorOf(() => v12.get(second, "plex_soap_basic")),
    );
    for (const err of errors) log.error({ err, connectionId: first }, "vault call failed");

    const codes = errors.map((err) => (err as Error & { code?: string }).code);
    expect(codes).toEqual([
      "VAULT_NOT_FOUND",
      "VAULT_UNKNOWN_KIND",
      "VAULT_INVALID_PAYLOAD",
      "VAULT_CONNECTION_NOT_FOUND",
      "VAULT_UNKNOWN_KEY_VERSION",
      "VAULT_PAYLOAD_AUTH_FAILED",
      "VAULT_DATA_KEY_AUTH_FAILED",
    ]);
    for (const err of errors) {
      expect(findLeaks(errorText(err), [...secrets, leakedSecret])).toEqual([]);
    }
    const output = lines.join("");
    expect(lines.length).toBeGreaterThan(30);
    expect(output).toContain("credential stored");
    expect(output).toContain("[REDACTED]");
    expect(findLeaks(output, [...secrets, leakedSecret])).toEqual([]);

    // The table as a database dump would show it (bytea as hex).
    const dump = await prisma.$queryRaw<{ row: string }[]>`
      SELECT row_to_json(c)::text AS row FROM credentials c
       WHERE connection_id IN (${first}, ${second}, ${third})`;
    expect(dump).toHaveLength(16);
    expect(findLeaks(dump.map((r) => r.row).join("\n"), secrets)).toEqual([]);
  });

  it("registers a secret with the log scrubber when it is read", async () => {
    const [, , connectionId] = connections.ids as [string, string, string];
    const keyring = keyringOf(keys, [1, 2], 2);
    const apiKey = `pk-read-only-${randomUUID()}`;
    // Stored without vault.put (which would register it too), as another process would have.
    const envelope = encryptCredential(
      keyring,
      { connectionId, kind: "plex_api_key" },
      Buffer.from(JSON.stringify({ apiKey })),
    );
    await prisma.credential.create({
      data: { id: randomUUID(), connectionId, kind: "plex_api_key", ...toColumns(envelope) },
    });
    const before = memoryLogger("info");
    const after = memoryLogger("info");

    before.log.info({ upstream: `rejected ${apiKey}` }, "upstream refused");
    const read = await createVault({ prisma, keyring }).get(connectionId, "plex_api_key");
    after.log.info({ upstream: `rejected ${apiKey}` }, "upstream refused");

    expect(read.apiKey).toBe(apiKey);
    expect(before.lines.join("")).toContain(apiKey);
    expect(after.lines.join("")).not.toContain(apiKey);
    expect(after.lines.join("")).toContain("rejected [REDACTED]");
  });
});
