/**
 * The vault against the real test database: every kind round-trips, and a row altered or copied
 * inside Postgres (what an attacker with write access to the table could do) fails to decrypt
 * with a clear VaultError.
 */
import type { TPrisma } from "@ml-connector/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TCredentialKind } from "./credential-kinds.schema.js";
import { createVault, type CredentialVault } from "./credential.vault.js";
import {
  ALL_KINDS,
  createTestConnections,
  keyringOf,
  randomKeys,
  samplePayloads,
  testPrisma,
} from "./test-support/vault.fixtures.js";
import { VaultError, type TVaultErrorCode } from "./vault.errors.js";

let prisma: TPrisma;
let vault: CredentialVault;
let connections: { ids: string[]; remove: () => Promise<void> };
const keys = randomKeys([1]);

function connection(index: number): string {
  const id = connections.ids[index];
  if (id === undefined) throw new Error(`no test connection ${index}`);

  return id;
}

async function expectVaultError(action: Promise<unknown>, code: TVaultErrorCode): Promise<string> {
  const err: unknown = await action.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(err).toBeInstanceOf(VaultError);
  expect((err as VaultError).code).toBe(code);

  return (err as VaultError).message;
}

/** Flips one bit of one byte of a bytea column, as tampering in the database would. */
async function flipStoredByte(
  connectionId: string,
  kind: string,
  column: "ciphertext" | "auth_tag" | "nonce" | "wrapped_data_key",
  index: number,
): Promise<void> {
  const updated = await prisma.$executeRawUnsafe(
    `UPDATE credentials SET ${column} = set_byte(${column}, $3, get_byte(${column}, $3) # 1)
      WHERE connection_id = $1 AND kind = $2`,
    connectionId,
    kind,
    index,
  );
  expect(updated).toBe(1);
}

/** Copies a stored row, crypto columns untouched, to another connection and/or kind. */
async function copyRow(
  from: { connectionId: string; kind: string },
  to: { connectionId: string; kind: string },
): Promise<void> {
  const inserted = await prisma.$executeRaw`
    INSERT INTO credentials (id, connection_id, kind, master_key_version, wrapped_data_key,
                             nonce, auth_tag, ciphertext, updated_at)
    SELECT gen_random_uuid()::text, ${to.connectionId}, ${to.kind}, master_key_version,
           wrapped_data_key, nonce, auth_tag, ciphertext, now()
      FROM credentials WHERE connection_id = ${from.connectionId} AND kind = ${from.kind}`;
  expect(inserted).toBe(1);
}

beforeAll(async () => {
  prisma = testPrisma();
  vault = createVault({ prisma, keyring: keyringOf(keys, [1], 1) });
  connections = await createTestConnections(prisma, 8);
});

afterAll(async () => {
  await connections.remove();
  await prisma.$disconnect();
});

describe("vault round trip", () => {
  it.each(ALL_KINDS)("stores and reads back a %s credential", async (kind) => {
    const payload = samplePayloads()[kind];

    const stored = await vault.put(connection(0), kind, payload);
    const read = await vault.get(connection(0), kind);

    expect(read).toEqual(payload);
    expect(stored).toMatchObject({ connectionId: connection(0), kind, masterKeyVersion: 1 });
    expect(await vault.has(connection(0), kind)).toBe(true);
  });

  it("lists the stored kinds with masked hints only", async () => {
    const payloads = samplePayloads();
    for (const kind of ALL_KINDS) await vault.put(connection(1), kind, payloads[kind]);

    const listed = await vault.list(connection(1));

    expect(listed.map((d) => d.kind)).toEqual([...ALL_KINDS].sort());
    const apiKey = listed.find((d) => d.kind === "plex_api_key");
    expect(apiKey?.hint).toBe(`…${payloads.plex_api_key.apiKey.slice(-4)}`);
    expect(apiKey?.readable).toBe(true);
    const shown = JSON.stringify(listed);
    expect(shown).not.toContain(payloads.plex_api_key.apiKey);
    expect(shown).not.toContain(payloads.plex_soap_basic.password);
    expect(shown).not.toContain(payloads.webhook_secret.secret);
  });

  it("replaces a credential with a new data key and nonce, keeping its creation date", async () => {
    const first = samplePayloads().mailchimp_api_key;
    const second = samplePayloads().mailchimp_api_key;
    await vault.put(connection(2), "mailchimp_api_key", first);
    const before = await prisma.credential.findUniqueOrThrow({
      where: { connectionId_kind: { connectionId: connection(2), kind: "mailchimp_api_key" } },
    });

    await vault.put(connection(2), "mailchimp_api_key", second);
    const after = await prisma.credential.findUniqueOrThrow({
      where: { connectionId_kind: { connectionId: connection(2), kind: "mailchimp_api_key" } },
    });

    expect(await vault.get(connection(2), "mailchimp_api_key")).toEqual(second);
    expect(after.id).toBe(before.id);
    expect(after.createdAt).toEqual(before.createdAt);
    expect(Buffer.from(after.nonce).equals(Buffer.from(before.nonce))).toBe(false);
    expect(Buffer.from(after.wrappedDataKey).equals(Buffer.from(before.wrappedDataKey))).toBe(
      false,
    );
  });

  it("deletes a credential and then reports it missing", async () => {
    await vault.put(connection(3), "mandrill_webhook_key", samplePayloads().mandrill_webhook_key);

    expect(await vault.delete(connection(3), "mandrill_webhook_key")).toBe(true);
    expect(await vault.delete(connection(3), "mandrill_webhook_key")).toBe(false);
    expect(await vault.has(connection(3), "mandrill_webhook_key")).toBe(false);
    expect(await vault.find(connection(3), "mandrill_webhook_key")).toBeUndefined();
    expect(await vault.describe(connection(3), "mandrill_webhook_key")).toBeUndefined();
    const message = await expectVaultError(
      vault.get(connection(3), "mandrill_webhook_key"),
      "VAULT_NOT_FOUND",
    );
    expect(message).toBe(
      `connection ${connection(3)} has no mandrill_webhook_key credential stored`,
    );
  });
});

describe("vault input errors", () => {
  it("refuses a credential for a connection that does not exist", async () => {
    const message = await expectVaultError(
      vault.put("vault-test-no-such-connection", "webhook_secret", samplePayloads().webhook_secret),
      "VAULT_CONNECTION_NOT_FOUND",
    );

    expect(message).toContain("connection vault-test-no-such-connection does not exist");
  });

  it("refuses an unknown kind, an over-long connection id and an invalid payload", async () => {
    await expectVaultError(
      vault.get(connection(0), "plex_password" as TCredentialKind),
      "VAULT_UNKNOWN_KIND",
    );
    await expectVaultError(
      vault.has("x".repeat(65), "webhook_secret"),
      "VAULT_INVALID_CONNECTION_ID",
    );
    const secret = "cs-never-in-an-error-0123456789";
    const message = await expectVaultError(
      vault.put(connection(0), "plex_oauth_client", {
        clientId: "c",
        clientSecret: secret,
        tokenUrl: "not a url",
      }),
      "VAULT_INVALID_PAYLOAD",
    );
    expect(message).toContain("tokenUrl: must be an http(s) URL");
    expect(message).not.toContain(secret);
  });
});

describe("vault against tampering in the database", () => {
  it.each([
    ["ciphertext", "ciphertext", 0, "VAULT_PAYLOAD_AUTH_FAILED"],
    ["auth tag", "auth_tag", 7, "VAULT_PAYLOAD_AUTH_FAILED"],
    ["nonce", "nonce", 11, "VAULT_PAYLOAD_AUTH_FAILED"],
    ["wrapped data key", "wrapped_data_key", 40, "VAULT_DATA_KEY_AUTH_FAILED"],
  ] as const)("fails clearly when the stored %s is altered", async (_, column, index, code) => {
    const kind = "plex_api_key";
    await vault.put(connection(4), kind, samplePayloads().plex_api_key);
    await flipStoredByte(connection(4), kind, column, index);

    const message = await expectVaultError(vault.get(connection(4), kind), code);
    const described = await vault.describe(connection(4), kind);

    expect(message).toContain(`connection ${connection(4)}, credential plex_api_key`);
    expect(described).toMatchObject({ readable: false, hint: null, problem: code });
  });

  it("fails when the stored tag is truncated", async () => {
    await vault.put(connection(4), "webhook_secret", samplePayloads().webhook_secret);
    await prisma.$executeRaw`UPDATE credentials SET auth_tag = substring(auth_tag from 1 for 12)
      WHERE connection_id = ${connection(4)} AND kind = 'webhook_secret'`;

    const message = await expectVaultError(
      vault.get(connection(4), "webhook_secret"),
      "VAULT_MALFORMED_ROW",
    );
    expect(message).toContain("auth tag is 12 bytes, expected 16");
  });

  it("fails when a row is copied to another connection", async () => {
    await vault.put(connection(5), "plex_soap_basic", samplePayloads().plex_soap_basic);
    await copyRow(
      { connectionId: connection(5), kind: "plex_soap_basic" },
      { connectionId: connection(6), kind: "plex_soap_basic" },
    );

    await expectVaultError(
      vault.get(connection(6), "plex_soap_basic"),
      "VAULT_DATA_KEY_AUTH_FAILED",
    );
    expect(await vault.get(connection(5), "plex_soap_basic")).toBeDefined();
  });

  it("fails when a row is copied to another kind of the same shape", async () => {
    // SOAP and UX Basic credentials have identical fields: only the binding tells them apart.
    await vault.put(connection(7), "plex_soap_basic", samplePayloads().plex_soap_basic);
    await copyRow(
      { connectionId: connection(7), kind: "plex_soap_basic" },
      { connectionId: connection(7), kind: "plex_ux_basic" },
    );

    const message = await expectVaultError(
      vault.get(connection(7), "plex_ux_basic"),
      "VAULT_DATA_KEY_AUTH_FAILED",
    );
    expect(message).toContain("copied from another connection or kind");
  });

  it("fails when only the payload columns are swapped between two connections", async () => {
    await vault.put(connection(5), "mailchimp_oauth", samplePayloads().mailchimp_oauth);
    await vault.put(connection(6), "mailchimp_oauth", samplePayloads().mailchimp_oauth);
    await prisma.$executeRaw`
      UPDATE credentials AS target
         SET nonce = source.nonce, auth_tag = source.auth_tag, ciphertext = source.ciphertext
        FROM credentials AS source
       WHERE target.connection_id = ${connection(6)} AND target.kind = 'mailchimp_oauth'
         AND source.connection_id = ${connection(5)} AND source.kind = 'mailchimp_oauth'`;

    await expectVaultError(
      vault.get(connection(6), "mailchimp_oauth"),
      "VAULT_PAYLOAD_AUTH_FAILED",
    );
  });
});

describe("nonces in the table", () => {
  it("never repeats a nonce across rows and rewrites", async () => {
    const seen = new Set<string>();
    let count = 0;
    for (let round = 0; round < 5; round += 1) {
      for (const kind of ALL_KINDS) {
        await vault.put(connection(round), kind, samplePayloads()[kind]);
        const row = await prisma.credential.findUniqueOrThrow({
          where: { connectionId_kind: { connectionId: connection(round), kind } },
        });
        seen.add(Buffer.from(row.nonce).toString("hex"));
        seen.add(Buffer.from(row.wrappedDataKey).subarray(0, 12).toString("hex"));
        count += 2;
      }
    }

    expect(seen.size).toBe(count);
  });
});
