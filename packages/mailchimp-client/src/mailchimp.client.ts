/**
 * The Mailchimp Marketing API v3 client. Every request holds a slot of the account's shared
 * connection semaphore while it is in flight; retryable failures (429, body-less 403, 5xx, resets,
 * timeouts) are retried with the server's hint or exponential backoff with full jitter, and a
 * rate-limit answer pauses the whole account. Everything else throws a MailchimpApiError that
 * carries Mailchimp's title, detail and field errors.
 */
import axios, { type AxiosInstance } from "axios";

import { fullJitterDelay, registerSecret, sleep, type Logger } from "@ml-connector/runtime";

import type { MailchimpConnectionSemaphore } from "./connection-semaphore.js";
import {
  DEFAULT_API_BASE_TEMPLATE,
  apiBaseUrl,
  authorizationHeader,
  dataCenterOf,
  type TMailchimpAuth,
} from "./mailchimp-auth.js";
import {
  MailchimpApiError,
  mailchimpErrorFromException,
  mailchimpErrorFromResponse,
} from "./mailchimp-errors.js";

export type TMailchimpClientConfig = {
  auth: TMailchimpAuth;
  /** e.g. https://{dc}.api.mailchimp.com/3.0, or the sandbox's http://host:port/{dc}/3.0 */
  apiBaseTemplate?: string;
  semaphore?: MailchimpConnectionSemaphore;
  maxAttempts?: number;
  /** Mailchimp cuts requests at 120 s. */
  timeoutMs?: number;
  log?: Logger;
};

export type TMailchimpRequest = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
};

export class MailchimpClient {
  private readonly http: AxiosInstance;
  readonly dc: string;
  /** HTTP requests sent, attempts included. */
  calls = 0;

  constructor(private readonly config: TMailchimpClientConfig) {
    this.dc = dataCenterOf(config.auth);
    registerSecret(config.auth.scheme === "api_key" ? config.auth.apiKey : config.auth.accessToken);
    this.http = axios.create({
      baseURL: apiBaseUrl(config.apiBaseTemplate ?? DEFAULT_API_BASE_TEMPLATE, this.dc),
      timeout: config.timeoutMs ?? 120_000,
      headers: { accept: "application/json", authorization: authorizationHeader(config.auth) },
      validateStatus: () => true,
      maxBodyLength: 50 * 1024 * 1024,
      maxContentLength: 200 * 1024 * 1024,
    });
  }

  get baseUrl(): string {
    return this.http.defaults.baseURL ?? "";
  }

  async request<T = unknown>(request: TMailchimpRequest): Promise<T> {
    const what = `${request.method} ${request.path.replace(/\/[0-9a-f]{32}(?=\/|$)/g, "/{hash}")}`;
    const maxAttempts = this.config.maxAttempts ?? 6;

    for (let attempt = 1; ; attempt += 1) {
      const lease = await this.config.semaphore?.acquire(request.signal);
      let error: MailchimpApiError;
      try {
        this.calls += 1;
        const response = await this.http.request({
          method: request.method,
          url: request.path,
          params: request.query,
          data: request.body,
          signal: request.signal,
        });
        if (response.status >= 200 && response.status < 300) return response.data as T;
        error = mailchimpErrorFromResponse(what, response.status, response.data, response.headers);
      } catch (err) {
        error = mailchimpErrorFromException(err, what);
      } finally {
        if (lease !== undefined) await this.config.semaphore?.release(lease);
      }

      if (request.signal?.aborted === true || !error.retryable || attempt >= maxAttempts) {
        throw error;
      }
      const delay = error.retryAfterMs ?? fullJitterDelay(attempt, { baseMs: 500, capMs: 30_000 });
      if (error.kind === "rate-limited") await this.config.semaphore?.pause(delay);
      this.config.log?.warn(
        { status: error.status, attempt, delayMs: delay, kind: error.kind },
        "mailchimp call failed, retrying",
      );
      await sleep(delay, request.signal);
    }
  }

  get<T = unknown>(path: string, query?: TMailchimpRequest["query"], signal?: AbortSignal) {
    return this.request<T>({ method: "GET", path, query, signal });
  }

  post<T = unknown>(path: string, body: unknown, query?: TMailchimpRequest["query"]) {
    return this.request<T>({ method: "POST", path, body, query });
  }

  put<T = unknown>(path: string, body: unknown, query?: TMailchimpRequest["query"]) {
    return this.request<T>({ method: "PUT", path, body, query });
  }

  patch<T = unknown>(path: string, body: unknown) {
    return this.request<T>({ method: "PATCH", path, body });
  }

  delete<T = unknown>(path: string) {
    return this.request<T>({ method: "DELETE", path });
  }

  /** GET /ping: a cheap check of the key and the data center. */
  ping() {
    return this.get<{ health_status: string }>("/ping");
  }
}
