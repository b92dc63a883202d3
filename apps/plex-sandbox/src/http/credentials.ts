/**
 * Who may call the sandbox. Plex Connect: application keys sent in X-Plex-Connect-Api-Key, with
 * an optional secret (reference/plex-api.md §2.2), and — for tenants behind an OAuth gateway, as
 * the product promises (real Plex documents no such endpoint) — OAuth 2.0 client-credentials
 * clients whose bearer tokens expire. Classic SOAP and UX data sources: web-service users with
 * Basic auth, each belonging to one PCN and granted data sources one by one (§3.1, §3.2).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export type TApiKey = {
  key: string;
  /** When set, a request that sends X-Plex-Connect-Api-Secret must send this value. */
  secret?: string;
  /** Label in the stats; defaults to a masked form of the key. */
  name?: string;
  /** API products (first path segment: mdm, sales, …) the app subscribes to; all when absent. */
  products?: string[];
};

export type TOAuthClient = { clientId: string; clientSecret: string; products?: string[] };

export type TWebServiceUser = {
  username: string;
  password: string;
  /** Data source ids this user was granted; all sandbox data sources when absent. */
  dataSources?: number[];
};

export type TPrincipal = { label: string; products?: string[] };

export const DEFAULT_API_KEY = "sandbox-plex-key";
export const DEFAULT_OAUTH_CLIENT: TOAuthClient = {
  clientId: "sandbox-plex-client",
  clientSecret: "sandbox-plex-client-secret",
};
export const DEFAULT_WEB_SERVICE_USER: TWebServiceUser = {
  username: "MlcDemoWs@plex.com",
  password: "sandbox-ws-password",
};

export function maskKey(key: string): string {
  return key.length <= 8 ? "****" : `${key.slice(0, 4)}…${key.slice(-4)}`;
}

export function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);

  return left.length === right.length && timingSafeEqual(left, right);
}

type TToken = { clientId: string; expiresAtMs: number; products?: string[] };

export class CredentialRegistry {
  private readonly tokens = new Map<string, TToken>();
  /** Bearer tokens granted so far (a test's proof that tokens expired and were renewed). */
  tokensIssued = 0;

  constructor(
    readonly apiKeys: TApiKey[],
    readonly oauthClients: TOAuthClient[],
    readonly webServiceUsers: TWebServiceUser[],
    public tokenLifetimeSeconds: number,
  ) {}

  apiKey(key: string): TApiKey | undefined {
    return this.apiKeys.find((candidate) => sameSecret(key, candidate.key));
  }

  keyLabel(apiKey: TApiKey): string {
    return apiKey.name ?? maskKey(apiKey.key);
  }

  oauthClient(clientId: string, clientSecret: string): TOAuthClient | undefined {
    const client = this.oauthClients.find((candidate) => candidate.clientId === clientId);

    return client !== undefined && sameSecret(clientSecret, client.clientSecret)
      ? client
      : undefined;
  }

  issueToken(client: TOAuthClient, nowMs: number): { token: string; expiresIn: number } {
    const token = randomBytes(32).toString("base64url");
    const expiresIn = this.tokenLifetimeSeconds;
    this.tokensIssued += 1;
    this.tokens.set(token, {
      clientId: client.clientId,
      expiresAtMs: nowMs + expiresIn * 1000,
      products: client.products,
    });

    return { token, expiresIn };
  }

  /** The principal of a bearer token, or undefined when unknown or expired. */
  bearer(token: string, nowMs: number): TPrincipal | undefined {
    const entry = this.tokens.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.tokens.delete(token);
      return undefined;
    }

    return { label: `client:${entry.clientId}`, products: entry.products };
  }

  webServiceUser(username: string, password: string): TWebServiceUser | undefined {
    const user = this.webServiceUsers.find(
      (candidate) => candidate.username.toLowerCase() === username.toLowerCase(),
    );

    return user !== undefined && sameSecret(password, user.password) ? user : undefined;
  }
}

/** user:password of an `Authorization: Basic …` header. */
export function parseBasicAuth(
  header: string | undefined,
): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;

  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
