import { describe, expect, it } from "vitest";

import {
  NONCE_BYTES,
  TAG_BYTES,
  WRAPPED_DATA_KEY_BYTES,
  decryptCredential,
  encryptCredential,
  rewrapCredential,
  type TEnvelope,
} from "./envelope.cipher.js";
import { keyringOf, randomKeys } from "./test-support/vault.fixtures.js";
import { VaultError, type TVaultErrorCode } from "./vault.errors.js";

const keys = randomKeys([1, 2]);
const keyringV1 = keyringOf(keys, [1], 1);
const keyringV12 = keyringOf(keys, [1, 2], 2);
const binding = { connectionId: "conn-a", kind: "plex_api_key" };
const plaintext = Buffer.from(JSON.stringify({ apiKey: "pk-secret-0123456789abcdef" }));

function flipByte(buffer: Buffer, index: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] ?? 0) ^ 0x01;

  return copy;
}

function expectVaultError(action: () => unknown, code: TVaultErrorCode): VaultError {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe(code);

    return err as VaultError;
  }
  throw new Error(`expected a VaultError ${code}, nothing was thrown`);
}

describe("envelope encryption", () => {
  it("round-trips a payload and stores nothing of it in clear", () => {
    const envelope = encryptCredential(keyringV1, binding, plaintext);

    expect(envelope.masterKeyVersion).toBe(1);
    expect(envelope.nonce).toHaveLength(NONCE_BYTES);
    expect(envelope.authTag).toHaveLength(TAG_BYTES);
    expect(envelope.wrappedDataKey).toHaveLength(WRAPPED_DATA_KEY_BYTES);
    expect(envelope.ciphertext.includes(plaintext)).toBe(false);
    expect(decryptCredential(keyringV1, binding, envelope).equals(plaintext)).toBe(true);
  });

  it("uses a fresh nonce, data key and ciphertext for every encryption", () => {
    const envelopes = Array.from({ length: 2000 }, () =>
      encryptCredential(keyringV1, binding, plaintext),
    );
    const payloadNonces = new Set(envelopes.map((e) => e.nonce.toString("hex")));
    const keyNonces = new Set(
      envelopes.map((e) => e.wrappedDataKey.subarray(0, NONCE_BYTES).toString("hex")),
    );
    const ciphertexts = new Set(envelopes.map((e) => e.ciphertext.toString("hex")));

    expect(payloadNonces.size).toBe(2000);
    expect(keyNonces.size).toBe(2000);
    expect(ciphertexts.size).toBe(2000);
  });

  it.each([
    ["ciphertext", (e: TEnvelope) => ({ ...e, ciphertext: flipByte(e.ciphertext, 3) })],
    ["auth tag", (e: TEnvelope) => ({ ...e, authTag: flipByte(e.authTag, 15) })],
    ["nonce", (e: TEnvelope) => ({ ...e, nonce: flipByte(e.nonce, 0) })],
  ])("rejects a tampered %s as a payload authentication failure", (_, tamper) => {
    const envelope = encryptCredential(keyringV1, binding, plaintext);

    const err = expectVaultError(
      () => decryptCredential(keyringV1, binding, tamper(envelope)),
      "VAULT_PAYLOAD_AUTH_FAILED",
    );
    expect(err.message).toContain("conn-a");
    expect(err.message).toContain("altered");
  });

  it.each([
    ["nonce", 0],
    ["tag", NONCE_BYTES + 2],
    ["encrypted key", WRAPPED_DATA_KEY_BYTES - 1],
  ])("rejects a wrapped data key with a tampered %s", (_, index) => {
    const envelope = encryptCredential(keyringV1, binding, plaintext);
    const tampered = { ...envelope, wrappedDataKey: flipByte(envelope.wrappedDataKey, index) };

    expectVaultError(
      () => decryptCredential(keyringV1, binding, tampered),
      "VAULT_DATA_KEY_AUTH_FAILED",
    );
  });

  it("refuses an envelope bound to another connection or kind", () => {
    const envelope = encryptCredential(keyringV1, binding, plaintext);

    expectVaultError(
      () => decryptCredential(keyringV1, { ...binding, connectionId: "conn-b" }, envelope),
      "VAULT_DATA_KEY_AUTH_FAILED",
    );
    expectVaultError(
      () => decryptCredential(keyringV1, { ...binding, kind: "mailchimp_api_key" }, envelope),
      "VAULT_DATA_KEY_AUTH_FAILED",
    );
  });

  it("refuses a payload paired with another credential's data key", () => {
    const first = encryptCredential(keyringV1, binding, plaintext);
    const second = encryptCredential(keyringV1, binding, plaintext);

    expectVaultError(
      () =>
        decryptCredential(keyringV1, binding, { ...first, wrappedDataKey: second.wrappedDataKey }),
      "VAULT_PAYLOAD_AUTH_FAILED",
    );
  });

  it("refuses a row whose key version was edited to another loaded version", () => {
    const envelope = encryptCredential(keyringV1, binding, plaintext);

    expectVaultError(
      () => decryptCredential(keyringV12, binding, { ...envelope, masterKeyVersion: 2 }),
      "VAULT_DATA_KEY_AUTH_FAILED",
    );
  });

  it("names the missing master key version when it is not loaded", () => {
    const envelope = encryptCredential(keyringV12, binding, plaintext);

    const err = expectVaultError(
      () => decryptCredential(keyringV1, binding, envelope),
      "VAULT_UNKNOWN_KEY_VERSION",
    );
    expect(err.message).toContain("master key version 2");
    expect(err.masterKeyVersion).toBe(2);
  });

  it.each([
    ["auth tag", (e: TEnvelope) => ({ ...e, authTag: e.authTag.subarray(0, 12) })],
    ["nonce", (e: TEnvelope) => ({ ...e, nonce: Buffer.concat([e.nonce, Buffer.alloc(4)]) })],
    ["wrapped key", (e: TEnvelope) => ({ ...e, wrappedDataKey: e.wrappedDataKey.subarray(1) })],
  ])("rejects a stored %s of the wrong length before decrypting", (_, damage) => {
    const envelope = encryptCredential(keyringV1, binding, plaintext);

    expectVaultError(
      () => decryptCredential(keyringV1, binding, damage(envelope)),
      "VAULT_MALFORMED_ROW",
    );
  });

  it("re-wraps only the data key: the payload columns stay byte for byte", () => {
    const envelope = encryptCredential(keyringV1, binding, plaintext);

    const rewrapped = rewrapCredential(keyringV12, binding, envelope);
    const moved = { ...envelope, ...rewrapped };

    expect(rewrapped.masterKeyVersion).toBe(2);
    expect(rewrapped.wrappedDataKey.equals(envelope.wrappedDataKey)).toBe(false);
    expect(decryptCredential(keyringV12.without(1), binding, moved).equals(plaintext)).toBe(true);
    expectVaultError(
      () => decryptCredential(keyringV1, binding, moved),
      "VAULT_UNKNOWN_KEY_VERSION",
    );
  });
});
