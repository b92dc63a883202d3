/**
 * The master keys (key-encryption keys) that wrap every credential's data key, by version. The
 * current version wraps new data keys; every loaded version can unwrap, which is what lets a
 * rotation run while the services keep reading (reliability-practice.md §4.2).
 *
 * The keyring never shows key material: not in errors, not in JSON, not in util.inspect.
 */
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";

export const MASTER_KEY_BYTES = 32;
/** Versions are stored in credentials.master_key_version (a Postgres integer). */
export const MAX_KEY_VERSION = 2_147_483_647;

export class MasterKeyring {
  readonly #keys: ReadonlyMap<number, Buffer>;
  readonly currentVersion: number;

  constructor(keys: ReadonlyMap<number, Buffer>, currentVersion: number) {
    if (!keys.has(currentVersion)) {
      throw new Error(
        `master key version ${currentVersion} is the current one but is not loaded ` +
          `(loaded: ${describeVersions([...keys.keys()])})`,
      );
    }
    for (const [version, key] of keys) {
      if (key.length !== MASTER_KEY_BYTES) {
        throw new Error(`master key version ${version} must be ${MASTER_KEY_BYTES} bytes`);
      }
    }
    // A private copy: the caller's buffers may be reused or zeroed.
    this.#keys = new Map([...keys].map(([version, key]) => [version, Buffer.from(key)]));
    this.currentVersion = currentVersion;
  }

  get versions(): number[] {
    return [...this.#keys.keys()].sort((a, b) => a - b);
  }

  has(version: number): boolean {
    return this.#keys.has(version);
  }

  /** The key of `version`, or undefined when this process has not loaded it. */
  keyFor(version: number): Buffer | undefined {
    return this.#keys.get(version);
  }

  currentKey(): Buffer {
    const key = this.#keys.get(this.currentVersion);
    if (key === undefined) throw new Error("current master key vanished from the keyring");

    return key;
  }

  /** A keyring without `version`: what remains after a rotation has moved every row off it. */
  without(version: number): MasterKeyring {
    const keys = new Map(this.#keys);
    keys.delete(version);

    return new MasterKeyring(keys, this.currentVersion);
  }

  /** A keyring with another current version (must be loaded already). */
  withCurrent(version: number): MasterKeyring {
    return new MasterKeyring(this.#keys, version);
  }

  toString(): string {
    const versions = describeVersions(this.versions);

    return `MasterKeyring(versions ${versions}, current ${this.currentVersion})`;
  }

  toJSON(): { versions: number[]; currentVersion: number } {
    return { versions: this.versions, currentVersion: this.currentVersion };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export function describeVersions(versions: number[]): string {
  return versions.length === 0 ? "none" : versions.sort((a, b) => a - b).join(", ");
}

/** A new random master key, base64-encoded, for MASTER_KEYS or a key file. */
export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString("base64");
}
