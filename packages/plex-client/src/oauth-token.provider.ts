/**
 * OAuth 2.0 client credentials for tenants whose Plex API sits behind an OAuth gateway (the real
 * Connect API takes a static key; reference plex-api.md §2.2). The access token lives in process
 * memory only, is refreshed shortly before it expires, and concurrent callers share one refresh.
 */
import axios, { type AxiosInstance } from "axios";

import { registerSecret } from "@ml-connector/runtime";

import { PlexApiError, plexErrorFromException } from "./plex-errors.js";

export type TClientCredentials = {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
};

type TCachedToken = { value: string; expiresAt: number };

export class ClientCredentialsTokenProvider {
  private cached: TCachedToken | undefined;
  private refreshing: Promise<TCachedToken> | undefined;
  private readonly http: AxiosInstance;
  /** Refreshes happened (for tests and metrics). */
  refreshCount = 0;

  constructor(
    private readonly credentials: TClientCredentials,
    private readonly options: { refreshSkewMs?: number; timeoutMs?: number } = {},
  ) {
    this.http = axios.create({ timeout: options.timeoutMs ?? 30_000 });
    registerSecret(credentials.clientSecret);
  }

  async token(): Promise<string> {
    const skew = this.options.refreshSkewMs ?? 30_000;
    if (this.cached !== undefined && this.cached.expiresAt - skew > Date.now()) {
      return this.cached.value;
    }

    return (await this.refresh()).value;
  }

  /** Drops `token` if it is still the cached one (after a 401), so the next call refreshes. */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private refresh(): Promise<TCachedToken> {
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = undefined;
    });

    return this.refreshing;
  }

  private async fetchToken(): Promise<TCachedToken> {
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    if (this.credentials.scope !== undefined) form.set("scope", this.credentials.scope);

    let data: unknown;
    try {
      const response = await this.http.post(this.credentials.tokenUrl, form.toString(), {
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        auth: { username: this.credentials.clientId, password: this.credentials.clientSecret },
      });
      data = response.data;
    } catch (err) {
      throw plexErrorFromException(err, "token request");
    }

    const body = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
    const value = body.access_token;
    if (typeof value !== "string" || value === "") {
      throw new PlexApiError(
        "Plex token endpoint answered without an access_token",
        "auth",
        200,
        undefined,
        undefined,
      );
    }
    const expiresIn =
      typeof body.expires_in === "number" ? body.expires_in : Number(body.expires_in ?? 3_600);
    registerSecret(value);
    this.refreshCount += 1;
    this.cached = { value, expiresAt: Date.now() + Math.max(1, expiresIn) * 1_000 };

    return this.cached;
  }
}
