/**
 * Connections in Postgres, their secrets in the vault. Create, update, list, describe and delete;
 * nothing returned from here ever contains a secret (credentials are shown as the vault's hints).
 */
import { randomBytes, randomUUID } from "node:crypto";

import type { TPrisma } from "@ml-connector/db";
import { dataCenterFromApiKey } from "@ml-connector/mailchimp-client";
import type { CredentialVault, TCredentialDescription, TCredentialKind } from "@ml-connector/vault";

import {
  ZConnectionInput,
  ZConnectionOptions,
  ZConnectionPatch,
  ZSchedules,
  type TConnectionConfig,
  type TConnectionInput,
  type TConnectionOptions,
  type TConnectionPatch,
  type TSchedules,
} from "./connection.schema.js";

export type TEndpoints = {
  soapUrl?: string;
  uxBaseTemplate?: string;
  mailchimpLoginBaseUrl: string;
};

/** A connection as operators and services see it: configuration, never secrets. */
export type TConnectionView = {
  id: string;
  name: string;
  mode: string;
  status: string;
  timezone: string;
  plex: {
    baseUrl: string;
    tenantId: string | null;
    pcn: string | null;
    authScheme: string;
    endpoints: { soapUrl?: string; uxBaseTemplate?: string };
  };
  mailchimp: {
    apiBaseTemplate: string;
    loginBaseUrl: string;
    dc: string | null;
    listId: string | null;
    storeId: string | null;
    authScheme: string;
  };
  schedules: TSchedules;
  options: TConnectionOptions;
  credentials: TCredentialDescription[];
  createdAt: string;
  updatedAt: string;
};

export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly code: "NOT_FOUND" | "INVALID" | "CONFLICT",
  ) {
    super(message);
    this.name = "ConnectionError";
  }
}

const PLEX_KIND = {
  api_key: "plex_api_key",
  oauth_client_credentials: "plex_oauth_client",
  soap_basic: "plex_soap_basic",
  ux_basic: "plex_ux_basic",
} as const;

type TStoredOptions = TConnectionOptions & { endpoints?: TEndpoints };
type TPlexConfig = TConnectionConfig["plex"];
type TMailchimpConfig = TConnectionConfig["mailchimp"];

export class ConnectionService {
  constructor(
    private readonly prisma: TPrisma,
    private readonly vault: CredentialVault,
  ) {}

  async create(input: TConnectionInput): Promise<TConnectionView> {
    const config = ZConnectionInput.parse(input);
    requirePcnForDataSources(config.plex);
    const id = config.id ?? `conn-${randomUUID().slice(0, 8)}`;
    const existing = await this.prisma.connection.findUnique({ where: { id } });
    if (existing !== null) throw new ConnectionError(`connection ${id} already exists`, "CONFLICT");

    await this.prisma.connection.create({
      data: {
        id,
        name: config.name,
        mode: config.mode,
        timezone: config.timezone,
        ...plexColumns(config.plex),
        ...mailchimpColumns(config.mailchimp),
        schedules: config.schedules,
        options: storedOptions(config),
      },
    });
    try {
      await this.storePlexSecrets(id, config.plex);
      await this.storeMailchimpSecrets(id, config.mailchimp);
      // Mailchimp list webhooks are protected by a secret in their URL (reference §5.1).
      await this.vault.put(id, "webhook_secret", { secret: randomBytes(24).toString("base64url") });
    } catch (err) {
      await this.prisma.connection.delete({ where: { id } });
      throw err;
    }

    return this.get(id);
  }

  async update(id: string, patch: TConnectionPatch): Promise<TConnectionView> {
    const changes = ZConnectionPatch.parse(patch);
    const row = await this.row(id);
    const options = { ...(row.options as TStoredOptions), ...changes.options };
    const data: Parameters<TPrisma["connection"]["update"]>[0]["data"] = {};
    if (changes.name !== undefined) data.name = changes.name;
    if (changes.timezone !== undefined) data.timezone = changes.timezone;
    if (changes.status !== undefined) data.status = changes.status;
    if (changes.schedules !== undefined) data.schedules = changes.schedules;

    if (changes.plex !== undefined) {
      requirePcnForDataSources(changes.plex);
      Object.assign(data, plexColumns(changes.plex));
      await this.storePlexSecrets(id, changes.plex);
    }
    if (changes.mailchimp !== undefined) {
      Object.assign(data, mailchimpColumns(changes.mailchimp));
      await this.storeMailchimpSecrets(id, changes.mailchimp);
    }
    const endpoints = endpointsOf(row.options as TStoredOptions, changes.plex, changes.mailchimp);
    data.options = { ...ZConnectionOptions.parse(options), endpoints };
    await this.prisma.connection.update({ where: { id }, data });

    return this.get(id);
  }

  async list(): Promise<TConnectionView[]> {
    const rows = await this.prisma.connection.findMany({
      where: { deletedAt: null },
      orderBy: { createdAt: "asc" },
    });

    return Promise.all(rows.map((row) => this.view(row)));
  }

  async get(id: string): Promise<TConnectionView> {
    return this.view(await this.row(id));
  }

  /**
   * Removes a connection deliberately: its secrets are erased at once, the row is kept (marked
   * deleted) so its audit trail survives and its webhook URL can answer 410 Gone.
   */
  async delete(id: string): Promise<void> {
    await this.row(id);
    for (const credential of await this.vault.list(id)) {
      await this.vault.delete(id, credential.kind as TCredentialKind);
    }
    await this.prisma.connection.update({
      where: { id },
      data: { status: "deleted", deletedAt: new Date() },
    });
  }

  /** Stores the token of a finished Mailchimp OAuth flow and switches the connection to it. */
  async connectMailchimpOAuth(
    id: string,
    token: { accessToken: string; dc: string; apiEndpoint: string },
  ): Promise<TConnectionView> {
    await this.row(id);
    await this.vault.put(id, "mailchimp_oauth", token);
    await this.vault.delete(id, "mailchimp_api_key");
    await this.prisma.connection.update({
      where: { id },
      data: { mailchimpAuthScheme: "oauth", mailchimpDc: token.dc },
    });

    return this.get(id);
  }

  async row(id: string) {
    const row = await this.prisma.connection.findUnique({ where: { id } });
    if (row === null || row.deletedAt !== null) {
      throw new ConnectionError(`connection ${id} does not exist`, "NOT_FOUND");
    }

    return row;
  }

  private async storePlexSecrets(id: string, plex: TPlexConfig): Promise<void> {
    // One Plex credential per connection: switching schemes removes the old one.
    for (const kind of Object.values(PLEX_KIND)) await this.vault.delete(id, kind);
    const auth = plex.auth;
    if (auth.scheme === "api_key") {
      await this.vault.put(id, "plex_api_key", { apiKey: auth.apiKey, apiSecret: auth.apiSecret });
    } else if (auth.scheme === "oauth_client_credentials") {
      const { tokenUrl, clientId, clientSecret, scope } = auth;
      await this.vault.put(id, "plex_oauth_client", { tokenUrl, clientId, clientSecret, scope });
    } else {
      const credential = { username: auth.username, password: auth.password, pcn: plex.pcn! };
      await this.vault.put(id, PLEX_KIND[auth.scheme], credential);
    }
  }

  private async storeMailchimpSecrets(id: string, mailchimp: TMailchimpConfig): Promise<void> {
    if (mailchimp.auth.scheme !== "api_key") return;
    await this.vault.put(id, "mailchimp_api_key", { apiKey: mailchimp.auth.apiKey });
    await this.vault.delete(id, "mailchimp_oauth");
  }

  private async view(row: Awaited<ReturnType<ConnectionService["row"]>>): Promise<TConnectionView> {
    const stored = row.options as TStoredOptions;
    const { endpoints, ...options } = stored;

    return {
      id: row.id,
      name: row.name,
      mode: row.mode,
      status: row.status,
      timezone: row.timezone,
      plex: {
        baseUrl: row.plexBaseUrl,
        tenantId: row.plexTenantId,
        pcn: row.plexPcn,
        authScheme: row.plexAuthScheme,
        endpoints: { soapUrl: endpoints?.soapUrl, uxBaseTemplate: endpoints?.uxBaseTemplate },
      },
      mailchimp: {
        apiBaseTemplate: row.mailchimpBaseUrl ?? "https://{dc}.api.mailchimp.com/3.0",
        loginBaseUrl: endpoints?.mailchimpLoginBaseUrl ?? "https://login.mailchimp.com",
        dc: row.mailchimpDc,
        listId: row.mailchimpListId,
        storeId: row.mailchimpStoreId,
        authScheme: row.mailchimpAuthScheme,
      },
      schedules: ZSchedules.parse(row.schedules),
      options: ZConnectionOptions.parse(options),
      credentials: row.deletedAt === null ? await this.vault.list(row.id) : [],
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}

function requirePcnForDataSources(plex: TPlexConfig): void {
  const scheme = plex.auth.scheme;
  if ((scheme === "soap_basic" || scheme === "ux_basic") && plex.pcn === undefined) {
    throw new ConnectionError(
      "plex.pcn is required for data-source access: the web-service user belongs to one PCN",
      "INVALID",
    );
  }
}

function plexColumns(plex: TPlexConfig) {
  return {
    plexBaseUrl: plex.baseUrl,
    plexTenantId: plex.tenantId ?? null,
    plexPcn: plex.pcn ?? null,
    plexAuthScheme: plex.auth.scheme,
  };
}

function mailchimpColumns(mailchimp: TMailchimpConfig) {
  const auth = mailchimp.auth;

  return {
    mailchimpBaseUrl: mailchimp.apiBaseTemplate,
    mailchimpAuthScheme: auth.scheme,
    mailchimpDc: auth.scheme === "api_key" ? dataCenterFromApiKey(auth.apiKey) : null,
    mailchimpListId: mailchimp.listId,
    mailchimpStoreId: mailchimp.storeId ?? `plex-${mailchimp.listId}`.slice(0, 50),
  };
}

function endpointsOf(
  previous: TStoredOptions | undefined,
  plex: TPlexConfig | undefined,
  mailchimp: TMailchimpConfig | undefined,
): TEndpoints {
  const endpoints: TEndpoints = {
    mailchimpLoginBaseUrl:
      previous?.endpoints?.mailchimpLoginBaseUrl ?? "https://login.mailchimp.com",
    soapUrl: previous?.endpoints?.soapUrl,
    uxBaseTemplate: previous?.endpoints?.uxBaseTemplate,
  };
  if (plex !== undefined) {
    endpoints.soapUrl = plex.auth.scheme === "soap_basic" ? plex.auth.soapUrl : undefined;
    endpoints.uxBaseTemplate =
      plex.auth.scheme === "ux_basic" ? plex.auth.uxBaseTemplate : undefined;
  }
  if (mailchimp !== undefined) endpoints.mailchimpLoginBaseUrl = mailchimp.loginBaseUrl;

  return endpoints;
}

function storedOptions(config: TConnectionConfig): TStoredOptions {
  return { ...config.options, endpoints: endpointsOf(undefined, config.plex, config.mailchimp) };
}
