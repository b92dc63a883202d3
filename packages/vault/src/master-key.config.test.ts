import { ConfigError } from "@ml-connector/runtime";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

import { loadMasterKeyring } from "./master-key.config.js";
import { generateMasterKey } from "./master-keyring.js";

const key1 = generateMasterKey();
const key2 = generateMasterKey();
const shortKey = Buffer.alloc(16, 7).toString("base64");
const longKey = Buffer.alloc(48, 9).toString("base64");
const tempRoot = mkdtempSync(join(tmpdir(), "vault-keys-"));

afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

/** The ConfigError's problems; fails the test when no ConfigError is thrown. */
function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadMasterKeyring(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);

    return (err as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

function expectNoKeyMaterial(text: string): void {
  for (const key of [key1, key2, shortKey, longKey]) {
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(0, 12));
  }
}

describe("loadMasterKeyring from MASTER_KEYS", () => {
  it("loads every version and the current one", () => {
    const keyring = loadMasterKeyring({
      MASTER_KEYS: `1:${key1}, 2:${key2}`,
      MASTER_KEY_CURRENT: "2",
    });

    expect(keyring.versions).toEqual([1, 2]);
    expect(keyring.currentVersion).toBe(2);
    expect(keyring.keyFor(1)?.toString("base64")).toBe(key1);
  });

  it("names a key of the wrong length without showing it", () => {
    const message = problemsOf({
      MASTER_KEYS: `1:${shortKey},2:${longKey}`,
      MASTER_KEY_CURRENT: "1",
    });

    expect(message).toContain("MASTER_KEYS entry 1: the key of version 1 decodes to 16 bytes");
    expect(message).toContain("MASTER_KEYS entry 2: the key of version 2 decodes to 48 bytes");
    expect(message).toContain("master-key:generate");
    expectNoKeyMaterial(message);
  });

  it("rejects text that is not base64, and malformed entries, without quoting them", () => {
    const message = problemsOf({
      MASTER_KEYS: `1:${key1.slice(0, 20)}!!${key1.slice(22)},${key2},x:${key2}`,
      MASTER_KEY_CURRENT: "1",
    });

    expect(message).toContain("entry 1: the key of version 1 is not base64");
    expect(message).toContain("entry 2: expected <version>:<base64 key>");
    expect(message).toContain("entry 3: the version must be a whole number");
    expectNoKeyMaterial(message);
  });

  it("says when the current version is not loaded", () => {
    const message = problemsOf({ MASTER_KEYS: `1:${key1},2:${key2}`, MASTER_KEY_CURRENT: "3" });

    expect(message).toContain(
      "current master key version 3 is not among the loaded versions (1, 2)",
    );
    expectNoKeyMaterial(message);
  });

  it("says when no current version is given", () => {
    expect(problemsOf({ MASTER_KEYS: `1:${key1}` })).toContain("MASTER_KEY_CURRENT is not set");
  });

  it("rejects a version given twice and one key under two versions", () => {
    expect(problemsOf({ MASTER_KEYS: `1:${key1},1:${key2}`, MASTER_KEY_CURRENT: "1" })).toContain(
      "version 1 is given twice",
    );
    expect(problemsOf({ MASTER_KEYS: `1:${key1},2:${key1}`, MASTER_KEY_CURRENT: "2" })).toContain(
      "master key versions 1 and 2 hold the same key",
    );
  });

  it("needs exactly one source", () => {
    expect(problemsOf({})).toContain("MASTER_KEYS or MASTER_KEY_FILE must be set");
    expect(problemsOf({ MASTER_KEYS: "", MASTER_KEY_FILE: " " })).toContain(
      "MASTER_KEYS or MASTER_KEY_FILE must be set",
    );
    expect(
      problemsOf({ MASTER_KEYS: `1:${key1}`, MASTER_KEY_FILE: "/x", MASTER_KEY_CURRENT: "1" }),
    ).toContain("not both");
  });

  it("hides the value of an invalid MASTER_KEY_CURRENT like every KEY variable", () => {
    const message = problemsOf({ MASTER_KEYS: `1:${key1}`, MASTER_KEY_CURRENT: "two" });

    expect(message).toContain("MASTER_KEY_CURRENT");
    expect(message).toContain("value hidden");
  });
});

describe("loadMasterKeyring from MASTER_KEY_FILE", () => {
  it("reads a key file with comments, line breaks and a current entry", () => {
    const path = join(tempRoot, "keys.txt");
    writeFileSync(path, `# rotated 2026-12\n1:${key1}\n2:${key2}  # new\ncurrent:2\n`);

    const keyring = loadMasterKeyring({ MASTER_KEY_FILE: path });

    expect(keyring.versions).toEqual([1, 2]);
    expect(keyring.currentVersion).toBe(2);
  });

  it("lets MASTER_KEY_CURRENT override the file's current entry", () => {
    const path = join(tempRoot, "keys-override.txt");
    writeFileSync(path, `1:${key1}\n2:${key2}\ncurrent:2\n`);

    expect(
      loadMasterKeyring({ MASTER_KEY_FILE: path, MASTER_KEY_CURRENT: "1" }).currentVersion,
    ).toBe(1);
  });

  it("reads a mounted Kubernetes Secret directory and skips its ..data entries", () => {
    const directory = join(tempRoot, "secret-volume");
    const data = join(directory, "..2026_12_03_10_00_00.123");
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, "v1"), `${key1}\n`);
    writeFileSync(join(data, "v2"), `${key2}\n`);
    writeFileSync(join(data, "current"), "2\n");
    symlinkSync("..2026_12_03_10_00_00.123", join(directory, "..data"));
    for (const name of ["v1", "v2", "current"]) {
      symlinkSync(join("..data", name), join(directory, name));
    }

    const keyring = loadMasterKeyring({ MASTER_KEY_FILE: directory });

    expect(keyring.versions).toEqual([1, 2]);
    expect(keyring.currentVersion).toBe(2);
  });

  it("explains an empty directory, a missing path and a bad key file", () => {
    const empty = join(tempRoot, "empty");
    mkdirSync(empty);
    expect(problemsOf({ MASTER_KEY_FILE: empty })).toContain("no key files (expected v1, v2");
    expect(problemsOf({ MASTER_KEY_FILE: join(tempRoot, "nope") })).toContain("cannot be read");

    const bad = join(tempRoot, "bad-volume");
    mkdirSync(bad);
    writeFileSync(join(bad, "v1"), shortKey);
    writeFileSync(join(bad, "current"), "1");
    const message = problemsOf({ MASTER_KEY_FILE: bad });
    expect(message).toContain("the key of version 1 decodes to 16 bytes");
    expectNoKeyMaterial(message);
  });
});

describe("MasterKeyring", () => {
  it("never shows key material when printed, inspected or serialized", () => {
    const keyring = loadMasterKeyring({
      MASTER_KEYS: `1:${key1},2:${key2}`,
      MASTER_KEY_CURRENT: "2",
    });
    const shown = [String(keyring), inspect(keyring), JSON.stringify({ keyring })].join("\n");

    expect(shown).toContain("current 2");
    expectNoKeyMaterial(shown);
    expect(shown).not.toContain(keyring.currentKey().toString("hex").slice(0, 16));
  });

  it("generates distinct 32-byte keys", () => {
    const generated = new Set(Array.from({ length: 100 }, () => generateMasterKey()));

    expect(generated.size).toBe(100);
    for (const key of generated) expect(Buffer.from(key, "base64")).toHaveLength(32);
  });
});
