/**
 * Every failure the vault reports. Messages name the connection, the credential kind, the master
 * key version and what to do — never a secret, a key, a plaintext or a decrypted fragment, because
 * these errors travel into logs, HTTP answers and audit rows. Crypto causes are deliberately not
 * attached: they add nothing an operator can act on.
 */
export type TVaultErrorCode =
  /** No credential of this kind is stored for the connection. */
  | "VAULT_NOT_FOUND"
  /** The connection id is empty or longer than the column allows (64 characters). */
  | "VAULT_INVALID_CONNECTION_ID"
  /** The connection row does not exist (credentials hang off a connection). */
  | "VAULT_CONNECTION_NOT_FOUND"
  /** The kind is not one of the credential kinds the vault knows. */
  | "VAULT_UNKNOWN_KIND"
  /** The payload does not match the kind's schema (field names and rules only, no values). */
  | "VAULT_INVALID_PAYLOAD"
  /** The row was wrapped under a master key version this process has not loaded. */
  | "VAULT_UNKNOWN_KEY_VERSION"
  /** The wrapped data key failed authentication: altered, or copied from another row. */
  | "VAULT_DATA_KEY_AUTH_FAILED"
  /** The encrypted payload failed authentication: altered, or copied from another row. */
  | "VAULT_PAYLOAD_AUTH_FAILED"
  /** A stored column has the wrong length (nonce, tag, wrapped key). */
  | "VAULT_MALFORMED_ROW";

export type TVaultErrorContext = {
  connectionId?: string;
  kind?: string;
  masterKeyVersion?: number;
};

export class VaultError extends Error {
  readonly code: TVaultErrorCode;
  readonly connectionId: string | undefined;
  readonly kind: string | undefined;
  readonly masterKeyVersion: number | undefined;

  constructor(code: TVaultErrorCode, message: string, context: TVaultErrorContext = {}) {
    super(message);
    this.name = "VaultError";
    this.code = code;
    this.connectionId = context.connectionId;
    this.kind = context.kind;
    this.masterKeyVersion = context.masterKeyVersion;
  }
}

/** "connection c1, credential plex_api_key": the subject every vault message starts from. */
export function describeSubject(context: TVaultErrorContext): string {
  const parts: string[] = [];
  if (context.connectionId !== undefined) parts.push(`connection ${context.connectionId}`);
  if (context.kind !== undefined) parts.push(`credential ${context.kind}`);

  return parts.length === 0 ? "credential" : parts.join(", ");
}
