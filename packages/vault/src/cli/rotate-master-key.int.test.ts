/**
 * The rotation command as an operator runs it: a child process with the keys in its environment,
 * against the real test database. Its output must show progress and never a key or a secret.
 */
import type { TPrisma } from "@ml-connector/db";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createVault } from "../credential.vault.js";
import {
  ALL_KINDS,
  TEST_DATABASE_URL,
  createTestConnections,
  findLeaks,
  keyringOf,
  masterKeysEnv,
  randomKeys,
  samplePayloads,
  secretsOf,
  testPrisma,
} from "../test-support/vault.fixtures.js";

const PACKAGE_DIR = join(import.meta.dirname, "..", "..");
const TSX = join(PACKAGE_DIR, "node_modules", ".bin", "tsx");
const SCRIPT = join(PACKAGE_DIR, "src", "cli", "rotate-master-key.ts");

const keys = randomKeys([1, 2]);
let prisma: TPrisma;
let connections: { ids: string[]; remove: () => Promise<void> };
const secrets: string[] = [];

type TRun = { code: number; stdout: string; stderr: string };

async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<TRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      TSX,
      ["--conditions=source", SCRIPT, ...args],
      { cwd: PACKAGE_DIR, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 },
    );

    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };

    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function expectNoKeyOrSecret(output: string): void {
  for (const key of keys.encoded.values()) expect(output).not.toContain(key);
  expect(findLeaks(output, secrets)).toEqual([]);
}

beforeAll(async () => {
  prisma = testPrisma();
  connections = await createTestConnections(prisma, 2);
  const vault = createVault({ prisma, keyring: keyringOf(keys, [1], 1) });
  for (const connectionId of connections.ids) {
    const payloads = samplePayloads();
    secrets.push(...secretsOf(payloads));
    for (const kind of ALL_KINDS) await vault.put(connectionId, kind, payloads[kind]);
  }
});

afterAll(async () => {
  await connections.remove();
  await prisma.$disconnect();
});

describe("master-key:rotate", () => {
  it("re-wraps the connections' credentials and prints progress, no secrets", async () => {
    const scope = connections.ids.flatMap((id) => ["--connection", id]);
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      MASTER_KEYS: masterKeysEnv(keys, [1, 2]),
      MASTER_KEY_CURRENT: "2",
    };

    const dryRun = await runCli([...scope, "--dry-run"], env);
    const run = await runCli([...scope, "--batch-size", "5"], env);
    const again = await runCli(scope, env);

    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("version 1 (loaded): 16 rows");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("re-wrapped 5/16 (rewrapped 5, skipped 0, failed 0)");
    expect(run.stdout).toContain("re-wrapped 16/16 (rewrapped 16, skipped 0, failed 0)");
    expect(run.stdout).toContain("done: every credential is under master key version 2");
    expect(again.stdout).toContain("version 2 (loaded, current): 16 rows");
    const versions = await prisma.credential.groupBy({
      by: ["masterKeyVersion"],
      where: { connectionId: { in: connections.ids } },
      _count: { _all: true },
    });
    expect(versions).toEqual([{ masterKeyVersion: 2, _count: { _all: 16 } }]);
    expectNoKeyOrSecret(dryRun.stdout + dryRun.stderr + run.stdout + run.stderr + again.stdout);
  });

  it("exits 2 with the configuration problem, not the key, when a key is malformed", async () => {
    const truncated = keys.encoded.get(2)!.slice(0, 30);

    const run = await runCli([], {
      DATABASE_URL: TEST_DATABASE_URL,
      MASTER_KEYS: `1:${keys.encoded.get(1)!},2:${truncated}`,
      MASTER_KEY_CURRENT: "2",
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("MASTER_KEYS entry 2: the key of version 2 decodes to 22 bytes");
    expect(run.stderr).not.toContain(truncated);
    expectNoKeyOrSecret(run.stdout + run.stderr);
  });

  it("exits 2 when the current version is missing from the keyring", async () => {
    const run = await runCli([], {
      DATABASE_URL: TEST_DATABASE_URL,
      MASTER_KEYS: masterKeysEnv(keys, [1]),
      MASTER_KEY_CURRENT: "2",
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("current master key version 2 is not among the loaded versions");
  });
});
