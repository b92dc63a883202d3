/**
 * What the receiver needs to know about a connection to answer a webhook: whether it exists, was
 * deleted on purpose (410) or is active, its list-webhook URL secret and its Mandrill key. Looked
 * up in Postgres and the vault, then cached briefly, so a burst of deliveries costs one lookup and
 * one decryption, not one per request. Unknown ids are cached too (shorter), in a bounded map, so
 * requests for random ids cannot grow memory or hammer the database.
 */
import { createHash } from "node:crypto";

import type { TPrisma } from "@ml-connector/db";
import type { CredentialVault } from "@ml-connector/vault";

export type TEndpointState = "active" | "paused" | "deleted" | "unknown";

export type TWebhookEndpoint = {
  state: TEndpointState;
  /** sha256 of the list-webhook URL secret; compared in constant time. */
  secretDigest?: Buffer;
  mandrillKey?: string;
};

export type TEndpointCacheOptions = {
  ttlMs?: number;
  unknownTtlMs?: number;
  maxEntries?: number;
};

type TCached = { expiresAt: number; endpoint: TWebhookEndpoint };

export class WebhookEndpointCache {
  private readonly entries = new Map<string, TCached>();
  private readonly loading = new Map<string, Promise<TWebhookEndpoint>>();
  private readonly ttlMs: number;
  private readonly unknownTtlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly prisma: TPrisma,
    private readonly vault: CredentialVault,
    options: TEndpointCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.unknownTtlMs = options.unknownTtlMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  async get(connectionId: string): Promise<TWebhookEndpoint> {
    const cached = this.entries.get(connectionId);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.endpoint;

    let loading = this.loading.get(connectionId);
    if (loading === undefined) {
      loading = this.load(connectionId).finally(() => this.loading.delete(connectionId));
      this.loading.set(connectionId, loading);
    }
    const endpoint = await loading;
    if (this.entries.size >= this.maxEntries) {
      // Map iteration is insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(connectionId);
    const ttl = endpoint.state === "unknown" ? this.unknownTtlMs : this.ttlMs;
    this.entries.set(connectionId, { expiresAt: Date.now() + ttl, endpoint });

    return endpoint;
  }

  /** Forget a connection (after a secret rotation, in tests). */
  invalidate(connectionId?: string): void {
    if (connectionId === undefined) this.entries.clear();
    else this.entries.delete(connectionId);
  }

  private async load(connectionId: string): Promise<TWebhookEndpoint> {
    const row = await this.prisma.connection.findUnique({
      where: { id: connectionId },
      select: { status: true, deletedAt: true },
    });
    if (row === null) return { state: "unknown" };
    // ConnectionService.delete erases the secrets and keeps the row marked deleted, on purpose.
    if (row.status === "deleted" || row.deletedAt !== null) return { state: "deleted" };

    const [secret, mandrill] = await Promise.all([
      this.vault.find(connectionId, "webhook_secret"),
      this.vault.find(connectionId, "mandrill_webhook_key"),
    ]);

    return {
      state: row.status === "paused" ? "paused" : "active",
      secretDigest:
        secret === undefined ? undefined : createHash("sha256").update(secret.secret).digest(),
      mandrillKey: mandrill?.key,
    };
  }
}
