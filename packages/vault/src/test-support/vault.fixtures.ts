/**
 * Shared by the vault's tests: random keyrings, connection rows in the real test database (unique
 * ids, removed afterwards) and one realistic payload per credential kind whose secrets are fresh
 * random strings, so a search for them in logs, errors or table dumps means something.
 */
import { createPrismaClient, type TPrisma } from "@ml-connector/db";
import { randomBytes, randomUUID } from "node:crypto";

import type { TCredentialKind, TCredentialPayloads } from "../credential-kinds.schema.js";
import { MasterKeyring } from "../master-keyring.js";

export const TEST_DATABASE_URL =
  process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";

export function testPrisma(): TPrisma {
  return createPrismaClient({ databaseUrl: TEST_DATABASE_URL, poolMax: 4 });
}

export type TTestKeys = { keys: Map<number, Buffer>; encoded: Map<number, string> };

export function randomKeys(versions: number[]): TTestKeys {
  const keys = new Map<number, Buffer>();
  const encoded = new Map<number, string>();
  for (const version of versions) {
    const key = randomBytes(32);
    keys.set(version, key);
    encoded.set(version, key.toString("base64"));
  }

  return { keys, encoded };
}

/** A keyring over some of `keys`' versions. */
export function keyringOf(keys: TTestKeys, versions: number[], current: number): MasterKeyring {
  const selected = new Map<number, Buffer>();
  for (const version of versions) {
    const key = keys.keys.get(version);
    if (key === undefined) throw new Error(`test key ${version} missing`);
    selected.set(version, key);
  }

  return new MasterKeyring(selected, current);
}

export function masterKeysEnv(keys: TTestKeys, versions: number[]): string {
  return versions.map((version) => `${version}:${keys.encoded.get(version) ?? ""}`).join(",");
}

function token(bytes = 16): string {
  return randomBytes(bytes).toString("hex");
}

/** One valid payload per kind; every secret field is a fresh random string. */
export function samplePayloads(): TCredentialPayloads {
  return {
    plex_api_key: {
      apiKey: `pk${token()}`,
      apiSecret: `ps${token()}`,
      tenantId: randomUUID(),
      pcn: "79870",
    },
    plex_oauth_client: {
      clientId: `client-${token(4)}`,
      clientSecret: `cs${token()}`,
      tokenUrl: "https://auth.example-plant.com/oauth2/token",
      scope: "plex.read plex.write",
    },
    plex_soap_basic: {
      username: "MLConnectorWS@acme.com",
      password: `Sp!${token(8)}`,
      pcn: "79870",
    },
    plex_ux_basic: { username: "mlc.ux", password: `Ux#${token(8)}`, pcn: "79870" },
    mailchimp_api_key: { apiKey: `${token()}-us21` },
    mailchimp_oauth: {
      accessToken: `at${token()}`,
      dc: "us6",
      apiEndpoint: "https://us6.api.mailchimp.com",
    },
    webhook_secret: { secret: token(24) },
    mandrill_webhook_key: { key: `mk${token(11)}` },
  };
}

/** The secret strings of a payload set (the values that must never leak). */
export function secretsOf(payloads: Partial<TCredentialPayloads>): string[] {
  const secrets: string[] = [];
  const add = (value: string | undefined): void => {
    if (value !== undefined) secrets.push(value);
  };
  add(payloads.plex_api_key?.apiKey);
  add(payloads.plex_api_key?.apiSecret);
  add(payloads.plex_oauth_client?.clientSecret);
  add(payloads.plex_soap_basic?.password);
  add(payloads.plex_ux_basic?.password);
  add(payloads.mailchimp_api_key?.apiKey);
  add(payloads.mailchimp_oauth?.accessToken);
  add(payloads.webhook_secret?.secret);
  add(payloads.mandrill_webhook_key?.key);

  return secrets;
}

/** Every form a leaked secret could take in a text dump: as is, hex and base64 of its bytes. */
export function leakForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");

  return [secret, bytes.toString("hex"), bytes.toString("base64").replace(/=+$/, "")];
}

export function findLeaks(text: string, secrets: string[]): string[] {
  return secrets.filter((secret) => leakForms(secret).some((form) => text.includes(form)));
}

/** Creates connection rows with unique ids; `remove` deletes them (credentials cascade). */
export async function createTestConnections(
  prisma: TPrisma,
  count: number,
): Promise<{ ids: string[]; remove: () => Promise<void> }> {
  const run = randomUUID().slice(0, 8);
  const ids = Array.from({ length: count }, (_, index) => `vault-test-${run}-${index}`);
  await prisma.connection.createMany({
    data: ids.map((id) => ({ id, name: `vault test ${id}`, plexBaseUrl: "http://127.0.0.1:1" })),
  });

  return {
    ids,
    remove: async () => {
      await prisma.connection.deleteMany({ where: { id: { in: ids } } });
    },
  };
}

export const ALL_KINDS = Object.keys(samplePayloads()) as TCredentialKind[];
