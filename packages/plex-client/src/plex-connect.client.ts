/**
 * The Plex Connect REST client (https://connect.plex.com). Every call goes through the shared
 * call budget, authenticates with the connection's scheme, retries what is retryable (429 with the
 * server's hint or exponential backoff with full jitter, 5xx, dropped connections, timeouts) and
 * throws a classified PlexApiError for the rest. List endpoints return bare arrays, no paging
 * (reference plex-api.md §2.4–2.5).
 */
import axios, { type AxiosInstance, type AxiosResponse } from "axios";

import { fullJitterDelay, registerSecret, sleep, type Logger } from "@ml-connector/runtime";

import type { PlexCallBudget } from "./call-budget.js";
import { ClientCredentialsTokenProvider, type TClientCredentials } from "./oauth-token.provider.js";
import { PlexApiError, plexErrorFromException, plexErrorFromResponse } from "./plex-errors.js";
import { fillPath, type TPlexGetPath } from "./plex-paths.js";
import { buildPlexQuery, type TPlexQuery } from "./plex-query.js";

export type TPlexConnectAuth =
  | { scheme: "api_key"; apiKey: string; apiSecret?: string }
  | ({ scheme: "oauth_client_credentials" } & TClientCredentials);

export type TPlexConnectConfig = {
  baseUrl: string;
  auth: TPlexConnectAuth;
  /** Runs requests in another tenant (X-Plex-Connect-Tenant-Id, a UUID). */
  tenantId?: string;
  /** Or selects the tenant by PCN number (X-Plex-Connect-Customer-Id). */
  pcn?: string;
  budget?: PlexCallBudget;
  maxAttempts?: number;
  timeoutMs?: number;
  log?: Logger;
};

export type TRequestOptions = {
  pathParams?: Record<string, string>;
  query?: TPlexQuery;
  signal?: AbortSignal;
};

export class PlexConnectClient {
  private readonly http: AxiosInstance;
  private readonly tokens: ClientCredentialsTokenProvider | undefined;
  /** HTTP requests sent (attempts included), for "Plex calls per synced record". */
  calls = 0;

  constructor(private readonly config: TPlexConnectConfig) {
    this.http = axios.create({
      baseURL: config.baseUrl.replace(/\/+$/, ""),
      timeout: config.timeoutMs ?? 60_000,
      headers: { accept: "application/json", "accept-encoding": "gzip, deflate" },
      validateStatus: () => true,
    });
    if (config.auth.scheme === "api_key") {
      registerSecret(config.auth.apiKey);
      registerSecret(config.auth.apiSecret);
    } else {
      this.tokens = new ClientCredentialsTokenProvider(config.auth);
    }
  }

  /** GET a collection: always an array, whatever Plex sent. */
  async list(path: TPlexGetPath, options: TRequestOptions = {}): Promise<unknown[]> {
    const data = await this.get(path, options);
    if (!Array.isArray(data)) {
      const message = `Plex GET ${path} answered something other than a list`;
      throw new PlexApiError(message, "client", 200, undefined, undefined);
    }

    return data as unknown[];
  }

  async get(path: TPlexGetPath, options: TRequestOptions = {}): Promise<unknown> {
    const query = buildPlexQuery(path, options.query);

    return this.send("GET", path, options, query, undefined);
  }

  async post(pathTemplate: string, body: unknown, options: TRequestOptions = {}): Promise<unknown> {
    return this.send("POST", pathTemplate, options, undefined, body);
  }

  async put(pathTemplate: string, body: unknown, options: TRequestOptions = {}): Promise<unknown> {
    return this.send("PUT", pathTemplate, options, undefined, body);
  }

  private async send(
    method: "GET" | "POST" | "PUT",
    pathTemplate: string,
    options: TRequestOptions,
    query: URLSearchParams | undefined,
    body: unknown,
  ): Promise<unknown> {
    const url = fillPath(pathTemplate, options.pathParams);
    const what = `${method} ${pathTemplate}`;
    const maxAttempts = this.config.maxAttempts ?? 6;
    let refreshedAfter401 = false;

    for (let attempt = 1; ; attempt += 1) {
      await this.config.budget?.acquire(options.signal);
      const { headers, token } = await this.authHeaders();
      this.calls += 1;

      let response: AxiosResponse;
      try {
        response = await this.http.request({
          method,
          url,
          params: query,
          data: body,
          headers,
          signal: options.signal,
        });
      } catch (err) {
        const error = plexErrorFromException(err, what);
        if (options.signal?.aborted === true || !error.retryable || attempt >= maxAttempts)
          throw error;
        await this.backOff(error, attempt, options.signal);
        continue;
      }

      if (response.status >= 200 && response.status < 300) return response.data as unknown;

      const error = plexErrorFromResponse(what, response.status, response.data, response.headers);
      // An OAuth token can expire between our check and Plex's: refresh once and retry.
      if (response.status === 401 && token !== undefined && !refreshedAfter401) {
        this.tokens?.invalidate(token);
        refreshedAfter401 = true;
        continue;
      }
      if (!error.retryable || attempt >= maxAttempts) throw error;
      await this.backOff(error, attempt, options.signal);
    }
  }

  private async backOff(error: PlexApiError, attempt: number, signal?: AbortSignal): Promise<void> {
    const delay = error.retryAfterMs ?? fullJitterDelay(attempt, { baseMs: 1_000, capMs: 60_000 });
    if (error.kind === "rate-limited") await this.config.budget?.pause(delay);
    this.config.log?.warn(
      { status: error.status, code: error.code, attempt, delayMs: delay },
      "plex call failed, retrying",
    );
    await sleep(delay, signal);
  }

  private async authHeaders(): Promise<{ headers: Record<string, string>; token?: string }> {
    const headers: Record<string, string> = {};
    if (this.config.tenantId !== undefined)
      headers["X-Plex-Connect-Tenant-Id"] = this.config.tenantId;
    if (this.config.pcn !== undefined) headers["X-Plex-Connect-Customer-Id"] = this.config.pcn;

    const auth = this.config.auth;
    if (auth.scheme === "api_key") {
      headers["X-Plex-Connect-Api-Key"] = auth.apiKey;
      // Optional: Plex authenticates on the key alone, but some tenants are set up with both.
      if (auth.apiSecret !== undefined) headers["X-Plex-Connect-Api-Secret"] = auth.apiSecret;

      return { headers };
    }
    const token = await this.tokens!.token();
    headers.authorization = `Bearer ${token}`;

    return { headers, token };
  }
}
