import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient } from "@ml-connector/db";
import { startMailchimpSandbox, type SandboxHandle } from "@ml-connector/mailchimp-sandbox";
import { startPlexSandbox, type TPlexSandboxHandle } from "@ml-connector/plex-sandbox";

const CLI = join(import.meta.dirname, "..", "dist", "main.js");
const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";

describe("the ml-connector CLI", () => {
  let plex: TPlexSandboxHandle;
  let mailchimp: SandboxHandle;
  const prisma = createPrismaClient({ databaseUrl: DATABASE_URL, poolMax: 2 });
  const dir = mkdtempSync(join(tmpdir(), "mlc-cli-"));
  const keyV1 = randomBytes(32).toString("base64");
  const keyV2 = randomBytes(32).toString("base64");
  const id = `cli-${randomUUID().slice(0, 8)}`;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    plex = await startPlexSandbox({ customers: 5, latency: { baseMs: 0, perRowMs: 0 } });
    mailchimp = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
    env = {
      PATH: process.env.PATH,
      DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      QUEUE_PREFIX: "mlc-cli-test",
      MASTER_KEYS: `1:${keyV1}`,
      MASTER_KEY_CURRENT: "1",
      PLEX_KEY: plex.apiKey,
      MAILCHIMP_KEY: mailchimp.defaults!.apiKey,
    };
  });

  afterAll(async () => {
    await prisma.connection.deleteMany({ where: { id } });
    await Promise.all([plex.close(), mailchimp.close(), prisma.$disconnect()]);
  });

  // Asynchronous on purpose: the simulators run in this process and must keep answering.
  function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, ...extraEnv } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  it("adds a connection from a file whose secrets come from the environment, and tests it", async () => {
    const file = join(dir, "connection.json");
    writeFileSync(
      file,
      JSON.stringify({
        id,
        name: "CLI plant",
        plex: { baseUrl: plex.url, auth: { scheme: "api_key", apiKey: "env:PLEX_KEY" } },
        mailchimp: {
          apiBaseTemplate: `${mailchimp.url}/{dc}/3.0`,
          listId: mailchimp.defaults!.listId,
          auth: { scheme: "api_key", apiKey: "env:MAILCHIMP_KEY" },
        },
      }),
    );

    const added = await cli(["connections", "add", "--file", file]);

    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`created connection ${id}`);
    expect(added.stdout).toMatch(/Plex: +ok/);
    expect(added.stdout).toMatch(/Mailchimp: +ok/);
    expect(added.stdout + added.stderr).not.toContain(mailchimp.defaults!.apiKey);
  });

  it("lists connections as a table and as JSON", async () => {
    const human = await cli(["connections", "list"]);
    const json = await cli(["connections", "list", "--json"]);

    expect(human.stdout).toMatch(/^ID +NAME +STATUS/);
    expect(human.stdout).toContain(id);
    const parsed = JSON.parse(json.stdout) as { connections: { id: string }[] };
    expect(parsed.connections.map((connection) => connection.id)).toContain(id);
  });

  it("replaces a credential, then the test fails with the reason and exit code 1", async () => {
    const file = join(dir, "bad-key.json");
    writeFileSync(file, JSON.stringify({ apiKey: "revoked-plex-key-000" }));

    const set = await cli(["credentials", "set", id, "plex_api_key", "--file", file]);
    const test = await cli(["connections", "test", id]);

    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`stored plex_api_key for ${id}`);
    expect(set.stdout).not.toContain("revoked-plex-key-000");
    expect(test.code).toBe(1);
    expect(test.stdout).toMatch(/Plex: +FAILED — The Plex key was refused/);
  });

  it("rotates the master key: rows move to the new version and stay readable", async () => {
    const rotated = await cli(["master-key", "rotate"], {
      MASTER_KEYS: `1:${keyV1},2:${keyV2}`,
      MASTER_KEY_CURRENT: "2",
    });
    const listed = await cli(["credentials", "list", id, "--json"], {
      MASTER_KEYS: `2:${keyV2}`,
      MASTER_KEY_CURRENT: "2",
    });

    expect(rotated.stdout).toMatch(/rotation finished: \d+ re-wrapped/);
    const credentials = (
      JSON.parse(listed.stdout) as {
        credentials: { kind: string; masterKeyVersion: number; readable: boolean }[];
      }
    ).credentials;
    expect(credentials.length).toBe(3);
    for (const credential of credentials) {
      expect(credential.masterKeyVersion).toBe(2);
      expect(credential.readable).toBe(true);
    }
  });

  it("answers bad input with exit code 2 and a clear line", async () => {
    const missing = await cli(["connections", "add", "--file", join(dir, "nope.json")]);
    const noKeys = await cli(["connections", "list"], { MASTER_KEYS: "", MASTER_KEY_CURRENT: "" });

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read");
    expect(noKeys.code).toBe(2);
    expect(noKeys.stderr).toContain("MASTER_KEYS or MASTER_KEY_FILE must be set");
  });
});
