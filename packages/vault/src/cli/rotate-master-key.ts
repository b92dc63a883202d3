/**
 * Re-wraps every credential's data key under the current master key version.
 *
 *   MASTER_KEYS=1:<old>,2:<new> MASTER_KEY_CURRENT=2 DATABASE_URL=... \
 *     pnpm --filter @ml-connector/vault master-key:rotate [--batch-size 100] [--connection <id>]…
 *     [--dry-run]
 *
 * Safe to run while the services run, safe to interrupt (Ctrl-C stops after the row in hand) and
 * safe to run again. Prints progress as rows done / total; never prints a key or a secret.
 * Exit code: 0 when no row is left under an old version, 1 when some are (failures or an
 * interrupted run), 2 for bad configuration or arguments.
 */
import { createPrismaClient } from "@ml-connector/db";
import { ConfigError, parseEnv } from "@ml-connector/runtime";
import { parseArgs } from "node:util";
import { z } from "zod";

import { countCredentialsByKeyVersion, rotateMasterKey } from "../key-rotation.js";
import { loadMasterKeyring } from "../master-key.config.js";
import type { MasterKeyring } from "../master-keyring.js";

const USAGE =
  "usage: master-key:rotate [--batch-size <n>] [--connection <id>]... [--dry-run]\n" +
  "  env: DATABASE_URL, and MASTER_KEYS + MASTER_KEY_CURRENT or MASTER_KEY_FILE";

const ZCliEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
});

type TCliArgs = { batchSize: number; connectionIds?: string[]; dryRun: boolean };

function parseCliArgs(argv: string[]): TCliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      "batch-size": { type: "string", default: "100" },
      connection: { type: "string", multiple: true },
      "dry-run": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const batchSize = Number(values["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new ConfigError(["--batch-size must be a whole number from 1 to 10000"]);
  }

  return { batchSize, connectionIds: values.connection, dryRun: values["dry-run"] };
}

function printCounts(title: string, counts: Record<number, number>, keyring: MasterKeyring): void {
  console.log(title);
  const versions = new Set([...Object.keys(counts).map(Number), ...keyring.versions]);
  for (const version of [...versions].sort((a, b) => a - b)) {
    const rows = counts[version] ?? 0;
    const loaded = keyring.has(version) ? "loaded" : "NOT LOADED";
    const current = version === keyring.currentVersion ? ", current" : "";
    console.log(`  version ${version} (${loaded}${current}): ${rows} rows`);
  }
}

async function main(): Promise<number> {
  // Every configuration problem at once, so one fix-and-retry round is enough.
  const problems: string[] = [];
  const collect = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else problems.push(err instanceof Error ? err.message : String(err));

      return undefined;
    }
  };
  const args = collect(() => parseCliArgs(process.argv.slice(2)));
  const databaseUrl = collect(() => parseEnv(ZCliEnv).DATABASE_URL);
  const keyring = collect(() => loadMasterKeyring());
  if (args === undefined || databaseUrl === undefined || keyring === undefined) {
    console.error(`invalid configuration:\n  - ${problems.join("\n  - ")}\n${USAGE}`);

    return 2;
  }

  const prisma = createPrismaClient({ databaseUrl, poolMax: 2 });
  const controller = new AbortController();
  process.once("SIGINT", () => {
    console.log("interrupt received: stopping after the current row (run again to resume)");
    controller.abort();
  });

  try {
    console.log(`master keys: ${keyring.toString()}`);
    const before = await countCredentialsByKeyVersion(prisma, args.connectionIds);
    printCounts("credentials per master key version:", before, keyring);
    if (args.dryRun) return 0;

    const result = await rotateMasterKey({
      prisma,
      keyring,
      batchSize: args.batchSize,
      connectionIds: args.connectionIds,
      signal: controller.signal,
      onProgress: (p) => {
        console.log(
          `re-wrapped ${p.done}/${p.total} (rewrapped ${p.rewrapped}, skipped ${p.skipped}, ` +
            `failed ${p.failed})`,
        );
      },
    });

    for (const failure of result.failures) {
      console.log(
        `  failed: connection ${failure.connectionId}, ${failure.kind}, version ` +
          `${failure.masterKeyVersion}: ${failure.code}`,
      );
    }
    printCounts("after rotation:", result.rowsByVersion, keyring);
    // With --connection the counts cover those connections only: no verdict on the whole table.
    for (const version of args.connectionIds === undefined ? keyring.versions : []) {
      if (version !== keyring.currentVersion && (result.rowsByVersion[version] ?? 0) === 0) {
        console.log(`version ${version} wraps no credential: it can be removed from the keyring`);
      }
    }
    if (result.remaining > 0) {
      console.log(
        `${result.remaining} credentials are still under an old version` +
          (result.interrupted ? " (interrupted)" : "") +
          "; fix the failures (or a replica still writing with an old MASTER_KEY_CURRENT) " +
          "and run again",
      );

      return 1;
    }
    console.log(`done: every credential is under master key version ${keyring.currentVersion}`);

    return 0;
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Database errors carry no plaintext (only ciphertext reaches Postgres); print the message.
    console.error(`rotation failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
