/**
 * Prints a new random master key (32 bytes, base64).
 *
 *   pnpm --filter @ml-connector/vault master-key:generate [--version <n>]
 *
 * With --version, prints "<n>:<key>", an entry to append to MASTER_KEYS or to a key file;
 * without, the bare key, as the content of a `v<n>` file in a Kubernetes Secret. The key goes to
 * stdout only (redirect it into the secret store); the guidance goes to stderr.
 */
import { parseArgs } from "node:util";

import { MAX_KEY_VERSION, generateMasterKey } from "../master-keyring.js";

function main(): number {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { version: { type: "string" } },
    strict: true,
  });
  const key = generateMasterKey();
  if (values.version === undefined) {
    process.stdout.write(`${key}\n`);

    return 0;
  }

  const version = Number(values.version);
  if (!Number.isInteger(version) || version < 1 || version > MAX_KEY_VERSION) {
    console.error(`--version must be a whole number from 1 to ${MAX_KEY_VERSION}`);

    return 2;
  }
  process.stdout.write(`${version}:${key}\n`);
  console.error(
    `add this entry to MASTER_KEYS (keep the old versions), deploy, then set ` +
      `MASTER_KEY_CURRENT=${version} and run master-key:rotate (see packages/vault/README.md)`,
  );

  return 0;
}

process.exitCode = main();
