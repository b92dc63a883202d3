/**
 * The accounts the sandbox knows, found by API key (`<32 hex>-<dc>`, the data center being the
 * suffix after the last "-", reference/mailchimp-api.md §1) or by OAuth access token.
 */
import { emptyStats, type TAccount } from "./account.model.js";
import type { IdGenerator } from "./id-generator.js";

export type TNewAccount = { dc: string; name?: string; apiKey?: string };

const API_KEY = /^[0-9a-f]{32}-([a-z]+\d+)$/;

export class AccountRegistry {
  private readonly accounts = new Map<string, TAccount>();
  private readonly byApiKey = new Map<string, TAccount>();
  private readonly byToken = new Map<string, TAccount>();

  constructor(private readonly ids: IdGenerator) {}

  create(input: TNewAccount): { account: TAccount; apiKey: string } {
    const id = this.ids.hex(25);
    const account: TAccount = {
      id,
      dc: input.dc,
      name: input.name ?? `Sandbox account ${this.accounts.size + 1}`,
      userId: this.ids.nextWebId(),
      loginId: this.ids.nextWebId(),
      loginName: `sandbox-user-${this.accounts.size + 1}`,
      loginEmail: `owner${this.accounts.size + 1}@sandbox-manufacturing.com`,
      role: "owner",
      apiKeys: new Set(),
      lists: new Map(),
      stores: new Map(),
      campaigns: new Map(),
      batches: new Map(),
      stats: emptyStats(),
    };
    this.accounts.set(id, account);
    const apiKey = this.addApiKey(account, input.apiKey);

    return { account, apiKey };
  }

  /** Issues a key for the account's data center, or registers the given one. */
  addApiKey(account: TAccount, given?: string): string {
    const apiKey = given ?? `${this.ids.hex(32)}-${account.dc}`;
    const match = API_KEY.exec(apiKey);
    if (match === null || match[1] !== account.dc) {
      throw new RangeError(`API key must look like <32 hex>-${account.dc}`);
    }
    if (this.byApiKey.has(apiKey)) throw new RangeError("API key already registered");
    account.apiKeys.add(apiKey);
    this.byApiKey.set(apiKey, account);

    return apiKey;
  }

  addToken(account: TAccount, token: string): void {
    this.byToken.set(token, account);
  }

  findByApiKey(apiKey: string): TAccount | undefined {
    return this.byApiKey.get(apiKey);
  }

  findByToken(token: string): TAccount | undefined {
    return this.byToken.get(token);
  }

  get(id: string): TAccount | undefined {
    return this.accounts.get(id);
  }

  all(): TAccount[] {
    return [...this.accounts.values()];
  }
}

/** The data center a key names, or undefined for a malformed key. */
export function dataCenterOfKey(apiKey: string): string | undefined {
  return API_KEY.exec(apiKey)?.[1];
}
