/**
 * The credential vault: the only code that sees plaintext credentials. Client packages ask it for
 * a connection's credential of a given kind and get a typed, validated payload; everything stored
 * in Postgres (table credentials, one row per connection and kind) is envelope-encrypted
 * (envelope.cipher.ts). Every secret string the vault hands out or takes in is registered with
 * the runtime's log scrubber, so it cannot reach a log line even by accident.
 */
import { Prisma, type TPrisma } from "@ml-connector/db";
import { registerSecret, type Logger } from "@ml-connector/runtime";
import { randomUUID } from "node:crypto";

import { credentialHint } from "./credential-hint.js";
import {
  assertCredentialKind,
  parseCredentialPayload,
  secretValuesOf,
  type TCredentialKind,
  type TCredentialPayload,
} from "./credential-kinds.schema.js";
import {
  decryptCredential,
  encryptCredential,
  toColumns,
  type TEnvelope,
} from "./envelope.cipher.js";
import type { MasterKeyring } from "./master-keyring.js";
import { VaultError, type TVaultErrorCode } from "./vault.errors.js";

/** credentials.connection_id is VARCHAR(64). */
const MAX_CONNECTION_ID_LENGTH = 64;

export type TVaultOptions = {
  prisma: TPrisma;
  keyring: MasterKeyring;
  /** Gets connectionId, kind and key version fields; never a secret. */
  logger?: Logger;
};

/** What may be shown about a stored credential: never the secret itself. */
export type TCredentialDescription = {
  connectionId: string;
  kind: string;
  masterKeyVersion: number;
  createdAt: Date;
  /** When the secret was last stored (a master key rotation does not change it). */
  updatedAt: Date;
  /** A masked hint such as "…a1f3"; null when the row cannot be decrypted. */
  hint: string | null;
  readable: boolean;
  /** Why the row cannot be decrypted, when it cannot. */
  problem?: TVaultErrorCode;
};

type TStoredRow = TEnvelope & {
  connectionId: string;
  kind: string;
  createdAt: Date;
  updatedAt: Date;
};

const ROW_SELECT = {
  connectionId: true,
  kind: true,
  masterKeyVersion: true,
  wrappedDataKey: true,
  nonce: true,
  authTag: true,
  ciphertext: true,
  createdAt: true,
  updatedAt: true,
} as const;

function toStoredRow(row: {
  connectionId: string;
  kind: string;
  masterKeyVersion: number;
  wrappedDataKey: Uint8Array;
  nonce: Uint8Array;
  authTag: Uint8Array;
  ciphertext: Uint8Array;
  createdAt: Date;
  updatedAt: Date;
}): TStoredRow {
  return {
    ...row,
    wrappedDataKey: Buffer.from(row.wrappedDataKey),
    nonce: Buffer.from(row.nonce),
    authTag: Buffer.from(row.authTag),
    ciphertext: Buffer.from(row.ciphertext),
  };
}

function assertConnectionId(connectionId: string): void {
  if (connectionId.length > 0 && connectionId.length <= MAX_CONNECTION_ID_LENGTH) return;
  throw new VaultError(
    "VAULT_INVALID_CONNECTION_ID",
    `connection id must be 1 to ${MAX_CONNECTION_ID_LENGTH} characters ` +
      `(got ${connectionId.length})`,
  );
}

export class CredentialVault {
  readonly #prisma: TPrisma;
  readonly #keyring: MasterKeyring;
  readonly #log: Logger | undefined;

  constructor(options: TVaultOptions) {
    this.#prisma = options.prisma;
    this.#keyring = options.keyring;
    this.#log = options.logger;
  }

  /** Master key versions loaded and the one new credentials are wrapped under. */
  get keyVersions(): { versions: number[]; current: number } {
    return { versions: this.#keyring.versions, current: this.#keyring.currentVersion };
  }

  /**
   * Validates and stores `payload` as the connection's credential of `kind`, replacing any
   * previous one (with a new data key and nonce). The connection row must exist.
   */
  async put<K extends TCredentialKind>(
    connectionId: string,
    kind: K,
    payload: TCredentialPayload<K>,
  ): Promise<TCredentialDescription> {
    assertConnectionId(connectionId);
    assertCredentialKind(kind, connectionId);
    const parsed = parseCredentialPayload(kind, payload, connectionId);
    for (const secret of secretValuesOf(kind, parsed)) registerSecret(secret);

    const plaintext = Buffer.from(JSON.stringify(parsed), "utf8");
    let envelope: TEnvelope;
    try {
      envelope = encryptCredential(this.#keyring, { connectionId, kind }, plaintext);
    } finally {
      plaintext.fill(0);
    }

    let row: TStoredRow;
    try {
      row = toStoredRow(
        await this.#prisma.credential.upsert({
          where: { connectionId_kind: { connectionId, kind } },
          create: { id: randomUUID(), connectionId, kind, ...toColumns(envelope) },
          update: toColumns(envelope),
          select: ROW_SELECT,
        }),
      );
    } catch (err) {
      // P2003: foreign key violated, the connection does not exist.
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2003") {
        throw new VaultError(
          "VAULT_CONNECTION_NOT_FOUND",
          `connection ${connectionId} does not exist; create the connection before its credentials`,
          { connectionId, kind },
        );
      }
      throw err;
    }

    this.#log?.info(
      { connectionId, kind, masterKeyVersion: envelope.masterKeyVersion },
      "credential stored",
    );

    return this.#describeRow(row, parsed);
  }

  /** The connection's credential of `kind`; throws VaultError VAULT_NOT_FOUND when absent. */
  async get<K extends TCredentialKind>(
    connectionId: string,
    kind: K,
  ): Promise<TCredentialPayload<K>> {
    const payload = await this.find(connectionId, kind);
    if (payload !== undefined) return payload;

    throw new VaultError(
      "VAULT_NOT_FOUND",
      `connection ${connectionId} has no ${kind} credential stored`,
      { connectionId, kind },
    );
  }

  /** Like get, but undefined when the connection has no credential of `kind`. */
  async find<K extends TCredentialKind>(
    connectionId: string,
    kind: K,
  ): Promise<TCredentialPayload<K> | undefined> {
    const row = await this.#findRow(connectionId, kind);
    if (row === undefined) return undefined;

    try {
      const payload = this.#open(row, kind);
      this.#log?.debug(
        { connectionId, kind, masterKeyVersion: row.masterKeyVersion },
        "credential read",
      );

      return payload;
    } catch (err) {
      if (err instanceof VaultError) {
        this.#log?.warn(
          { connectionId, kind, masterKeyVersion: row.masterKeyVersion, code: err.code },
          "credential cannot be decrypted",
        );
      }
      throw err;
    }
  }

  async has(connectionId: string, kind: TCredentialKind): Promise<boolean> {
    assertConnectionId(connectionId);
    assertCredentialKind(kind, connectionId);
    const count = await this.#prisma.credential.count({ where: { connectionId, kind } });

    return count > 0;
  }

  /** Removes the credential; true when there was one. */
  async delete(connectionId: string, kind: TCredentialKind): Promise<boolean> {
    assertConnectionId(connectionId);
    assertCredentialKind(kind, connectionId);
    const { count } = await this.#prisma.credential.deleteMany({ where: { connectionId, kind } });
    if (count > 0) this.#log?.info({ connectionId, kind }, "credential deleted");

    return count > 0;
  }

  /** Kind, key version, dates and a masked hint of one credential; undefined when absent. */
  async describe(
    connectionId: string,
    kind: TCredentialKind,
  ): Promise<TCredentialDescription | undefined> {
    const row = await this.#findRow(connectionId, kind);

    return row === undefined ? undefined : this.#describeStored(row);
  }

  /** Descriptions of every credential of a connection, by kind. */
  async list(connectionId: string): Promise<TCredentialDescription[]> {
    assertConnectionId(connectionId);
    const rows = await this.#prisma.credential.findMany({
      where: { connectionId },
      orderBy: { kind: "asc" },
      select: ROW_SELECT,
    });

    return rows.map((row) => this.#describeStored(toStoredRow(row)));
  }

  async #findRow(connectionId: string, kind: string): Promise<TStoredRow | undefined> {
    assertConnectionId(connectionId);
    assertCredentialKind(kind, connectionId);
    const row = await this.#prisma.credential.findUnique({
      where: { connectionId_kind: { connectionId, kind } },
      select: ROW_SELECT,
    });

    return row === null ? undefined : toStoredRow(row);
  }

  /** Decrypts and re-validates a row; registers its secrets with the log scrubber. */
  #open<K extends TCredentialKind>(row: TStoredRow, kind: K): TCredentialPayload<K> {
    const binding = { connectionId: row.connectionId, kind };
    const plaintext = decryptCredential(this.#keyring, binding, row);

    let decoded: unknown;
    try {
      decoded = JSON.parse(plaintext.toString("utf8"));
    } catch {
      throw new VaultError(
        "VAULT_MALFORMED_ROW",
        `connection ${row.connectionId}, credential ${kind}: the decrypted payload is not JSON`,
        { ...binding, masterKeyVersion: row.masterKeyVersion },
      );
    } finally {
      plaintext.fill(0);
    }

    const payload = parseCredentialPayload(kind, decoded, row.connectionId);
    for (const secret of secretValuesOf(kind, payload)) registerSecret(secret);

    return payload;
  }

  /** Never throws for a bad row: a listing shows it as unreadable, with the reason. */
  #describeStored(row: TStoredRow): TCredentialDescription {
    try {
      const kind = assertCredentialKind(row.kind, row.connectionId);

      return this.#describeRow(row, this.#open(row, kind));
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;

      return { ...this.#describeRow(row, undefined), readable: false, problem: err.code };
    }
  }

  #describeRow<K extends TCredentialKind>(
    row: TStoredRow,
    payload: TCredentialPayload<K> | undefined,
  ): TCredentialDescription {
    return {
      connectionId: row.connectionId,
      kind: row.kind,
      masterKeyVersion: row.masterKeyVersion,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      hint: payload === undefined ? null : credentialHint(row.kind as K, payload),
      readable: payload !== undefined,
    };
  }
}

export function createVault(options: TVaultOptions): CredentialVault {
  return new CredentialVault(options);
}
