/**
 * OAuth 2.0 authorization-code state ([OAUTH], reference §1): registered apps with their
 * redirect URIs, short-lived single-use codes, and access tokens that never expire ("Tokens do
 * not expire, so you do not need to use refresh_token").
 */
import type { IdGenerator } from "../state/id-generator.js";

export type TOAuthApp = {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  name: string;
};

type TAuthorizationCode = {
  clientId: string;
  redirectUri: string;
  accountId: string;
  expiresAtMs: number;
  used: boolean;
};

/** Codes are only good for a short while; Mailchimp does not publish the lifetime. */
const CODE_LIFETIME_MS = 10 * 60_000;

export class OAuthStore {
  private readonly apps = new Map<string, TOAuthApp>();
  private readonly codes = new Map<string, TAuthorizationCode>();

  constructor(private readonly ids: IdGenerator) {}

  registerApp(app: Partial<TOAuthApp> & { redirectUris: string[] }): TOAuthApp {
    const registered: TOAuthApp = {
      clientId: app.clientId ?? String(100_000_000_000 + this.ids.nextWebId()),
      clientSecret: app.clientSecret ?? this.ids.hex(50),
      redirectUris: app.redirectUris,
      name: app.name ?? "Sandbox OAuth app",
    };
    this.apps.set(registered.clientId, registered);

    return registered;
  }

  app(clientId: string): TOAuthApp | undefined {
    return this.apps.get(clientId);
  }

  /** Mailchimp's redirect_uri "supports wildcards": `*` matches any run of characters. */
  redirectAllowed(app: TOAuthApp, redirectUri: string): boolean {
    return app.redirectUris.some((allowed) => {
      const pattern = allowed.split("*").map(escapeRegExp).join(".*");

      return new RegExp(`^${pattern}$`).test(redirectUri);
    });
  }

  issueCode(clientId: string, redirectUri: string, accountId: string, nowMs: number): string {
    const code = this.ids.hex(32);
    this.codes.set(code, {
      clientId,
      redirectUri,
      accountId,
      expiresAtMs: nowMs + CODE_LIFETIME_MS,
      used: false,
    });

    return code;
  }

  /** Returns the account id the code was issued for, once; undefined when the code is not good. */
  redeemCode(
    code: string,
    clientId: string,
    redirectUri: string,
    nowMs: number,
  ): string | undefined {
    const issued = this.codes.get(code);
    if (issued === undefined || issued.used || issued.expiresAtMs < nowMs) return undefined;
    if (issued.clientId !== clientId || issued.redirectUri !== redirectUri) return undefined;
    issued.used = true;

    return issued.accountId;
  }

  newAccessToken(): string {
    return this.ids.hex(32);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
