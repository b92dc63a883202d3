/**
 * Loads the master keyring at start-up, from one of two places:
 *
 * - `MASTER_KEYS="1:<base64>,2:<base64>"` with `MASTER_KEY_CURRENT=2` (dev, CI, simple setups);
 * - `MASTER_KEY_FILE=<path>` (production: a mounted Kubernetes Secret, reliability-practice.md
 *   §4.3 — env values leak into `kubectl describe`, crash dumps and child processes). The path is
 *   either a file in the MASTER_KEYS format (entries separated by commas or lines, `#` comments,
 *   and an optional `current:<n>` entry), or a directory holding one file per version named
 *   `v<n>` (the key in base64) and an optional `current` file — the layout a Secret with keys
 *   `v1`, `v2`, `current` gets when mounted as a volume.
 *
 * `MASTER_KEY_CURRENT` wins over a `current` from the file, so a rollout can switch versions by
 * changing the Deployment alone. Problems are reported all at once as a ConfigError naming the
 * variable, the entry and the rule broken; key material is never quoted.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { ConfigError, parseEnv } from "@ml-connector/runtime";
import { z } from "zod";

import {
  MASTER_KEY_BYTES,
  MAX_KEY_VERSION,
  MasterKeyring,
  describeVersions,
} from "./master-keyring.js";

const GENERATE_HINT = "generate one with `pnpm --filter @ml-connector/vault master-key:generate`";

const ZKeyVersion = z.coerce.number().int().min(1).max(MAX_KEY_VERSION);

export const ZMasterKeyEnv = z.object({
  // Versioned master keys, "<version>:<base64 of 32 bytes>" separated by commas. Dev and CI.
  MASTER_KEYS: z.string().trim().min(1).optional(),
  // The version that wraps new data keys; every loaded version still decrypts.
  MASTER_KEY_CURRENT: ZKeyVersion.optional(),
  // A file in the MASTER_KEYS format, or a directory of v<n> files (a mounted Kubernetes Secret).
  MASTER_KEY_FILE: z.string().trim().min(1).optional(),
});
export type TMasterKeyEnv = z.infer<typeof ZMasterKeyEnv>;

type TKeySet = { keys: Map<number, Buffer>; current?: number };

/** Decodes one base64 key, or returns the rule it breaks (never the value). */
function decodeKey(encoded: string): Buffer | string {
  const compact = encoded.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return "is not base64";
  const key = Buffer.from(compact, "base64");
  if (key.length !== MASTER_KEY_BYTES) {
    return `decodes to ${key.length} bytes, expected ${MASTER_KEY_BYTES} (${GENERATE_HINT})`;
  }

  return key;
}

function parseVersion(text: string): number | undefined {
  const result = ZKeyVersion.safeParse(text.trim());

  return result.success && /^\s*\d+\s*$/.test(text) ? result.data : undefined;
}

function addKey(
  set: TKeySet,
  version: number,
  encoded: string,
  where: string,
  problems: string[],
): void {
  if (set.keys.has(version)) {
    problems.push(`${where}: version ${version} is given twice`);

    return;
  }
  const key = decodeKey(encoded);
  if (typeof key === "string") {
    problems.push(`${where}: the key of version ${version} ${key}`);

    return;
  }
  set.keys.set(version, key);
}

/**
 * Parses the MASTER_KEYS format. `source` names where the text came from in error messages;
 * entries are numbered from 1 so an operator can find the bad one without it being quoted.
 */
export function parseMasterKeyList(text: string, source: string, problems: string[]): TKeySet {
  const set: TKeySet = { keys: new Map() };
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.replace(/#.*$/, "").trim())
    .filter((entry) => entry !== "");

  entries.forEach((entry, index) => {
    const where = `${source} entry ${index + 1}`;
    const colon = entry.indexOf(":");
    if (colon <= 0) {
      problems.push(`${where}: expected <version>:<base64 key> (or current:<version>)`);

      return;
    }
    const name = entry.slice(0, colon).trim();
    const value = entry.slice(colon + 1);

    if (name === "current") {
      const current = parseVersion(value);
      if (current === undefined) problems.push(`${where}: current must be a version number`);
      else set.current = current;

      return;
    }
    const version = parseVersion(name);
    if (version === undefined) {
      problems.push(`${where}: the version must be a whole number from 1 to ${MAX_KEY_VERSION}`);

      return;
    }
    addKey(set, version, value, where, problems);
  });

  return set;
}

/** Reads a mounted Secret directory: files v<n> hold keys, `current` the current version. */
function readKeyDirectory(directory: string, problems: string[]): TKeySet {
  const set: TKeySet = { keys: new Map() };
  // Kubernetes adds ..data and timestamped ..<date> entries for atomic updates: skip dot names.
  const names = readdirSync(directory).filter((name) => !name.startsWith("."));

  for (const name of names.sort()) {
    const where = `MASTER_KEY_FILE ${join(directory, name)}`;
    const versionMatch = /^v(\d+)$/.exec(name);
    if (versionMatch?.[1] !== undefined) {
      const version = parseVersion(versionMatch[1]);
      if (version === undefined) problems.push(`${where}: version out of range`);
      else addKey(set, version, readFileSync(join(directory, name), "utf8"), where, problems);
      continue;
    }
    if (name === "current") {
      const current = parseVersion(readFileSync(join(directory, name), "utf8"));
      if (current === undefined) problems.push(`${where}: must hold a version number`);
      else set.current = current;
    }
  }
  if (set.keys.size === 0 && problems.length === 0) {
    problems.push(`MASTER_KEY_FILE ${directory}: no key files (expected v1, v2, … and current)`);
  }

  return set;
}

function readKeyFile(path: string, problems: string[]): TKeySet {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    problems.push(`MASTER_KEY_FILE: ${path} cannot be read (missing, or no permission)`);

    return { keys: new Map() };
  }

  return isDirectory
    ? readKeyDirectory(path, problems)
    : parseMasterKeyList(readFileSync(path, "utf8"), `MASTER_KEY_FILE ${path}`, problems);
}

/** Two versions holding the same key is almost always a copy-paste mistake during rotation. */
function findDuplicateKeys(keys: Map<number, Buffer>, problems: string[]): void {
  const seen = new Map<string, number>();
  for (const [version, key] of [...keys].sort(([a], [b]) => a - b)) {
    const fingerprint = key.toString("hex");
    const earlier = seen.get(fingerprint);
    if (earlier !== undefined) {
      problems.push(`master key versions ${earlier} and ${version} hold the same key`);
    }
    seen.set(fingerprint, version);
  }
}

/** Builds the keyring from the environment (see the module comment); throws ConfigError. */
export function loadMasterKeyring(source: NodeJS.ProcessEnv = process.env): MasterKeyring {
  // An empty variable means "not set" (a Deployment that blanks one out, a shell default).
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const env = parseEnv(ZMasterKeyEnv, present);
  const problems: string[] = [];

  if (env.MASTER_KEYS !== undefined && env.MASTER_KEY_FILE !== undefined) {
    throw new ConfigError(["set either MASTER_KEYS or MASTER_KEY_FILE, not both"]);
  }
  if (env.MASTER_KEYS === undefined && env.MASTER_KEY_FILE === undefined) {
    throw new ConfigError([
      `MASTER_KEYS or MASTER_KEY_FILE must be set (e.g. MASTER_KEYS=1:<base64>, ${GENERATE_HINT})`,
    ]);
  }

  const set =
    env.MASTER_KEYS !== undefined
      ? parseMasterKeyList(env.MASTER_KEYS, "MASTER_KEYS", problems)
      : readKeyFile(env.MASTER_KEY_FILE ?? "", problems);
  findDuplicateKeys(set.keys, problems);

  const current = env.MASTER_KEY_CURRENT ?? set.current;
  if (current === undefined) {
    problems.push("MASTER_KEY_CURRENT is not set (and the key file names no current version)");
  } else if (!set.keys.has(current) && set.keys.size > 0) {
    problems.push(
      `the current master key version ${current} is not among the loaded versions ` +
        `(${describeVersions([...set.keys.keys()])})`,
    );
  }
  if (problems.length > 0 || current === undefined) throw new ConfigError(problems);

  const keyring = new MasterKeyring(set.keys, current);
  for (const key of set.keys.values()) key.fill(0);

  return keyring;
}
