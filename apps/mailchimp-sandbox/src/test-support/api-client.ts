/**
 * Test helpers: an axios client for one sandbox data center that never throws on a status, and
 * a shortcut for Basic auth with an API key the way Mailchimp's docs show it ("anystring:KEY").
 */
import axios, { type AxiosInstance } from "axios";

import type { SandboxHandle } from "../sandbox.handle.js";

export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`anystring:${apiKey}`).toString("base64")}`;
}

export function apiClient(
  sandbox: SandboxHandle,
  options: { apiKey?: string; dc?: string; token?: string } = {},
): AxiosInstance {
  const apiKey = options.apiKey ?? sandbox.defaults?.apiKey ?? "";
  const dc = options.dc ?? apiKey.slice(apiKey.lastIndexOf("-") + 1);

  return axios.create({
    baseURL: sandbox.baseUrlFor(dc),
    headers: {
      authorization: options.token !== undefined ? `Bearer ${options.token}` : basicAuth(apiKey),
    },
    validateStatus: () => true,
    // A fresh connection per request, so concurrency tests measure requests, not sockets.
    httpAgent: undefined,
  });
}
