/**
 * Envelope encryption with AES-256-GCM (reliability-practice.md §4.1, §4.2).
 *
 * Each credential has its own random 32-byte data key. The payload is encrypted under the data
 * key; the data key is encrypted ("wrapped") under a versioned master key. Rotation therefore
 * re-wraps 60 bytes per row and never touches the payload ciphertext.
 *
 * Every encryption uses a fresh random 12-byte nonce and a 16-byte tag, passed explicitly on both
 * sides (Node deprecated implicit short tags, DEP0182). Additional authenticated data binds:
 * - the payload to its connection id and credential kind;
 * - the wrapped data key to its connection id, credential kind and master key version;
 * so a row (or any column of it) copied to another connection, kind or version does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import type { MasterKeyring } from "./master-keyring.js";
import { VaultError, describeSubject } from "./vault.errors.js";

const ALGORITHM = "aes-256-gcm";
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
/** nonce | tag | encrypted data key */
export const WRAPPED_DATA_KEY_BYTES = NONCE_BYTES + TAG_BYTES + DATA_KEY_BYTES;
/** Bumped if the AAD layout ever changes, so old and new layouts can never be confused. */
const AAD_FORMAT = "ml-connector/vault/1";

export type TBinding = { connectionId: string; kind: string };

/** What the credentials table stores for one credential (its encryption columns). */
export type TEnvelope = {
  masterKeyVersion: number;
  wrappedDataKey: Buffer;
  nonce: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
};

/** The envelope as Prisma Bytes columns (Uint8Array over a plain ArrayBuffer). */
export type TEnvelopeColumns = {
  masterKeyVersion: number;
  wrappedDataKey: Uint8Array<ArrayBuffer>;
  nonce: Uint8Array<ArrayBuffer>;
  authTag: Uint8Array<ArrayBuffer>;
  ciphertext: Uint8Array<ArrayBuffer>;
};

export function toColumns(envelope: TEnvelope): TEnvelopeColumns {
  return {
    masterKeyVersion: envelope.masterKeyVersion,
    wrappedDataKey: new Uint8Array(envelope.wrappedDataKey),
    nonce: new Uint8Array(envelope.nonce),
    authTag: new Uint8Array(envelope.authTag),
    ciphertext: new Uint8Array(envelope.ciphertext),
  };
}

type TSealed = { nonce: Buffer; authTag: Buffer; ciphertext: Buffer };

// JSON arrays keep the fields unambiguous whatever characters a connection id contains.
function payloadAad(binding: TBinding): Buffer {
  return Buffer.from(JSON.stringify([AAD_FORMAT, "payload", binding.connectionId, binding.kind]));
}

function dataKeyAad(binding: TBinding, masterKeyVersion: number): Buffer {
  return Buffer.from(
    JSON.stringify([AAD_FORMAT, "data-key", binding.connectionId, binding.kind, masterKeyVersion]),
  );
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): TSealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);

  return { nonce, authTag: cipher.getAuthTag(), ciphertext };
}

/** The plaintext, or undefined when authentication fails (wrong key, AAD, nonce, tag or data). */
function unseal(key: Buffer, sealed: TSealed, aad: Buffer): Buffer | undefined {
  const decipher = createDecipheriv(ALGORITHM, key, sealed.nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.authTag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

function wrapDataKey(keyring: MasterKeyring, dataKey: Buffer, binding: TBinding): Buffer {
  const version = keyring.currentVersion;
  const sealed = seal(keyring.currentKey(), dataKey, dataKeyAad(binding, version));

  return Buffer.concat([sealed.nonce, sealed.authTag, sealed.ciphertext]);
}

function malformed(binding: TBinding, column: string, expected: number, got: number): VaultError {
  return new VaultError(
    "VAULT_MALFORMED_ROW",
    `${describeSubject(binding)}: stored ${column} is ${got} bytes, expected ${expected}; ` +
      "the row was altered outside the vault — store the credential again",
    binding,
  );
}

function checkLengths(binding: TBinding, envelope: TEnvelope): void {
  if (envelope.wrappedDataKey.length !== WRAPPED_DATA_KEY_BYTES) {
    throw malformed(
      binding,
      "wrapped data key",
      WRAPPED_DATA_KEY_BYTES,
      envelope.wrappedDataKey.length,
    );
  }
  if (envelope.nonce.length !== NONCE_BYTES) {
    throw malformed(binding, "nonce", NONCE_BYTES, envelope.nonce.length);
  }
  if (envelope.authTag.length !== TAG_BYTES) {
    throw malformed(binding, "auth tag", TAG_BYTES, envelope.authTag.length);
  }
}

/** Unwraps the data key of `envelope`; the caller zeroes it after use. */
function unwrapDataKey(keyring: MasterKeyring, binding: TBinding, envelope: TEnvelope): Buffer {
  checkLengths(binding, envelope);
  const version = envelope.masterKeyVersion;
  const context = { ...binding, masterKeyVersion: version };

  const masterKey = keyring.keyFor(version);
  if (masterKey === undefined) {
    throw new VaultError(
      "VAULT_UNKNOWN_KEY_VERSION",
      `${describeSubject(binding)} is wrapped under master key version ${version}, which this ` +
        `process has not loaded (loaded: ${keyring.versions.join(", ")}); add it to the ` +
        "keyring, or finish the rotation before removing it",
      context,
    );
  }

  const wrapped = envelope.wrappedDataKey;
  const dataKey = unseal(
    masterKey,
    {
      nonce: wrapped.subarray(0, NONCE_BYTES),
      authTag: wrapped.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES),
      ciphertext: wrapped.subarray(NONCE_BYTES + TAG_BYTES),
    },
    dataKeyAad(binding, version),
  );
  if (dataKey === undefined) {
    throw new VaultError(
      "VAULT_DATA_KEY_AUTH_FAILED",
      `${describeSubject(binding)}: the data key does not authenticate under master key ` +
        `version ${version} — the row was altered, copied from another connection or kind, ` +
        "or the master key of that version is not the one it was written with",
      context,
    );
  }

  return dataKey;
}

/** Encrypts `plaintext` for `binding` under a new data key wrapped by the current master key. */
export function encryptCredential(
  keyring: MasterKeyring,
  binding: TBinding,
  plaintext: Buffer,
): TEnvelope {
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    const sealed = seal(dataKey, plaintext, payloadAad(binding));

    return {
      masterKeyVersion: keyring.currentVersion,
      wrappedDataKey: wrapDataKey(keyring, dataKey, binding),
      ...sealed,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts an envelope stored for `binding`; throws VaultError (never with secret content). */
export function decryptCredential(
  keyring: MasterKeyring,
  binding: TBinding,
  envelope: TEnvelope,
): Buffer {
  const dataKey = unwrapDataKey(keyring, binding, envelope);
  try {
    const plaintext = unseal(dataKey, envelope, payloadAad(binding));
    if (plaintext === undefined) {
      throw new VaultError(
        "VAULT_PAYLOAD_AUTH_FAILED",
        `${describeSubject(binding)}: the encrypted payload does not authenticate — the ` +
          "ciphertext, nonce or tag was altered, or the row was copied from another " +
          "connection or kind",
        { ...binding, masterKeyVersion: envelope.masterKeyVersion },
      );
    }

    return plaintext;
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Re-wraps the data key of `envelope` under the current master key. The payload columns are
 * returned untouched: only masterKeyVersion and wrappedDataKey change.
 */
export function rewrapCredential(
  keyring: MasterKeyring,
  binding: TBinding,
  envelope: TEnvelope,
): Pick<TEnvelope, "masterKeyVersion" | "wrappedDataKey"> {
  const dataKey = unwrapDataKey(keyring, binding, envelope);
  try {
    return {
      masterKeyVersion: keyring.currentVersion,
      wrappedDataKey: wrapDataKey(keyring, dataKey, binding),
    };
  } finally {
    dataKey.fill(0);
  }
}
