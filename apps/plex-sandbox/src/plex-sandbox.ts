/**
 * startPlexSandbox: the Plex simulator as a real HTTP server, in-process. Other packages' tests
 * and benchmarks start it with port 0 and point their Plex client at `url` (Connect), `soapUrl`
 * (Classic SOAP) and `uxBaseUrl` (UX data sources, the stand-in for https://{pcn}.on.plex.com).
 * The returned handle offers the control API's operations as methods as well.
 */
import http from "node:http";
import type { Socket } from "node:net";

import express, { type Express, type NextFunction, type Request, type Response } from "express";

import { createLogger, type Logger } from "@ml-connector/runtime";

import type { TPlantOptions } from "./generator/plant.generator.js";
import { DEFAULT_ANCHOR } from "./generator/plant.generator.js";
import { CallStats } from "./http/call.stats.js";
import { callPipeline } from "./http/call.pipeline.js";
import { connectAuth, principalLabel } from "./http/connect-auth.middleware.js";
import {
  CredentialRegistry,
  DEFAULT_API_KEY,
  DEFAULT_OAUTH_CLIENT,
  DEFAULT_WEB_SERVICE_USER,
  type TApiKey,
  type TOAuthClient,
  type TWebServiceUser,
} from "./http/credentials.js";
import { FaultInjector } from "./http/fault.injector.js";
import { RateLimiter } from "./http/rate.limiter.js";
import {
  SandboxSettings,
  type TLatencySettings,
  type TRateLimitSettings,
} from "./http/sandbox.settings.js";
import { activityRoutes } from "./routes/activity.routes.js";
import { connectRoutes } from "./routes/connect.routes.js";
import { CONTROL_PREFIX, controlRoutes } from "./routes/control.routes.js";
import { OAUTH_TOKEN_PATH, oauthRoutes } from "./routes/oauth.routes.js";
import type { TSandboxContext } from "./routes/sandbox.context.js";
import { SOAP_PATH, soapRoutes } from "./routes/soap.routes.js";
import { UX_PREFIX, uxRoutes } from "./routes/ux-datasource.routes.js";
import { PlantMutations } from "./store/plant.mutations.js";
import { PlantStore } from "./store/plant.store.js";
import { SandboxClock } from "./store/sandbox.clock.js";

export type TPlexSandboxOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  seed?: number;
  /** Customers in the plant (default 250). */
  customers?: number;
  parts?: number;
  anchor?: string;
  historyYears?: number;
  /** Company code of the tenant (UX host name), default "mlcdemo". */
  tenantCode?: string;
  /** PCN number, default "310519". */
  pcn?: string;
  apiKeys?: TApiKey[];
  /** Refuse Connect calls without X-Plex-Connect-Api-Secret (Plex does not, by default). */
  requireSecret?: boolean;
  oauth?: { enabled?: boolean; clients?: TOAuthClient[]; tokenLifetimeSeconds?: number };
  webServiceUsers?: TWebServiceUser[];
  latency?: Partial<TLatencySettings>;
  rateLimit?: Partial<TRateLimitSettings>;
  uxRowLimit?: number;
  logger?: Logger;
};

export type TSandboxState = {
  seed: number;
  customers: number;
  parts: number;
  orders: number;
  releases: number;
  shippers: number;
  invoices: number;
  indexBytes: number;
  indexBuildMs: number;
  changedRecords: number;
  activities: number;
  anchor: string;
  now: string;
  tenant: { id: string; code: string; pcn: string };
};

export type TPlexSandboxHandle = {
  /** Base URL of Plex Connect (stands in for https://connect.plex.com). */
  url: string;
  port: number;
  soapUrl: string;
  /** UX data-source base for this tenant (stands in for https://{pcn}.on.plex.com). */
  uxBaseUrl: string;
  tokenUrl: string;
  controlUrl: string;
  apiKey: string;
  tenant: { id: string; code: string; pcn: string };
  webServiceUser: TWebServiceUser;
  oauthClient: TOAuthClient;
  app: Express;
  store: () => PlantStore;
  clock: SandboxClock;
  settings: SandboxSettings;
  stats: CallStats;
  faults: FaultInjector;
  mutations: PlantMutations;
  credentials: CredentialRegistry;
  state: () => TSandboxState;
  reset: (options?: { seed?: number; customers?: number; parts?: number; anchor?: string }) => void;
  advanceClock: (ms: number) => string;
  /** /readyz answers 503 from now on (called at shutdown). */
  markNotReady: () => void;
  close: () => Promise<void>;
};

export const DEFAULT_CUSTOMERS = 250;

function plantOptions(options: TPlexSandboxOptions): TPlantOptions {
  return {
    seed: options.seed ?? 1,
    customers: options.customers ?? DEFAULT_CUSTOMERS,
    parts: options.parts,
    anchor: options.anchor ?? DEFAULT_ANCHOR,
    historyYears: options.historyYears,
    tenantCode: options.tenantCode,
    pcn: options.pcn,
  };
}

export async function startPlexSandbox(
  options: TPlexSandboxOptions = {},
): Promise<TPlexSandboxHandle> {
  const log = options.logger ?? createLogger({ service: "plex-sandbox", level: "warn" });
  let currentOptions = plantOptions(options);
  const clock = new SandboxClock(Date.parse(String(currentOptions.anchor)));
  let store = new PlantStore(currentOptions, clock);
  const settings = new SandboxSettings(options.latency, options.rateLimit);
  const stats = new CallStats(() => settings.rateLimit.windowMs);
  const limiter = new RateLimiter(settings);
  const faults = new FaultInjector(currentOptions.seed);
  const apiKeys = options.apiKeys ?? [{ key: DEFAULT_API_KEY }];
  const oauthClients = options.oauth?.clients ?? [DEFAULT_OAUTH_CLIENT];
  const webServiceUsers = options.webServiceUsers ?? [DEFAULT_WEB_SERVICE_USER];
  const credentials = new CredentialRegistry(
    apiKeys,
    oauthClients,
    webServiceUsers,
    options.oauth?.tokenLifetimeSeconds ?? 3_600,
  );
  const ctx: TSandboxContext = {
    store: () => store,
    clock,
    settings,
    stats,
    limiter,
    faults,
    credentials,
    log,
    uxRowLimit: options.uxRowLimit ?? 100_000,
  };
  const mutations = new PlantMutations(() => store);
  let ready = true;

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use((req, res, next) => {
    const startedAt = performance.now();
    res.on("finish", () => {
      log.debug(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Math.round(performance.now() - startedAt),
        },
        "plex sandbox call",
      );
    });
    next();
  });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "shutting down" });
  });

  const handle = {} as TPlexSandboxHandle;
  app.use(CONTROL_PREFIX, controlRoutes(handle));
  if (options.oauth?.enabled ?? true) app.use(oauthRoutes(credentials, () => clock.now()));
  app.use(soapRoutes(ctx));
  app.use(uxRoutes(ctx));

  const connect = express.Router();
  connect.use(
    connectAuth({
      credentials,
      stats,
      now: () => clock.now(),
      tenantId: () => store.plant.tenant().id,
      pcn: () => store.plant.pcn,
      requireSecret: options.requireSecret ?? false,
    }),
  );
  connect.use(callPipeline(ctx, { budgeted: () => true, label: principalLabel }));
  connect.use(express.json({ limit: "1mb" }));
  connect.use(activityRoutes(ctx));
  connect.use(connectRoutes(ctx));
  connect.use((_req, res) => {
    res.status(404).json({
      code: "RESOURCE_NOT_FOUND",
      message: "The resource does not exist (or is not simulated by the sandbox).",
    });
  });
  app.use(connect);

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    if (type === "entity.parse.failed") {
      res
        .status(400)
        .json({ code: "REQUEST_MALFORMED", message: "The request body is not valid JSON." });
      return;
    }
    if (type === "entity.too.large") {
      res
        .status(413)
        .json({ code: "REQUEST_MALFORMED", message: "The request body is too large." });
      return;
    }
    log.error({ err, path: req.path }, "plex sandbox request failed");
    res
      .status(500)
      .json({ code: "REQUEST_PROCESSING_ERROR", message: "The request could not be processed." });
  });

  const server = http.createServer(app);
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const host =
    options.host === undefined || options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
  const url = `http://${host}:${port}`;
  const tenant = () => ({ ...store.plant.tenant(), pcn: store.plant.pcn });

  Object.assign(handle, {
    url,
    port,
    soapUrl: `${url}${SOAP_PATH}`,
    uxBaseUrl: `${url}${UX_PREFIX}/${store.plant.tenantCode}`,
    tokenUrl: `${url}${OAUTH_TOKEN_PATH}`,
    controlUrl: `${url}${CONTROL_PREFIX}`,
    apiKey: apiKeys[0]?.key ?? DEFAULT_API_KEY,
    tenant: tenant(),
    webServiceUser: webServiceUsers[0] ?? DEFAULT_WEB_SERVICE_USER,
    oauthClient: oauthClients[0] ?? DEFAULT_OAUTH_CLIENT,
    app,
    store: () => store,
    clock,
    settings,
    stats,
    faults,
    mutations,
    credentials,
    state: (): TSandboxState => ({
      seed: store.plant.seed,
      customers: store.plant.customerCount,
      parts: store.plant.partCount,
      orders: store.index.orderCount,
      releases: store.index.releases.size,
      shippers: store.index.shippers.size,
      invoices: store.index.invoices.size,
      indexBytes: store.index.bytes,
      indexBuildMs: Math.round(store.index.buildMs),
      changedRecords: store.overlayCount(),
      activities: store.activities.size,
      anchor: new Date(store.plant.anchorMs).toISOString(),
      now: clock.nowIso(),
      tenant: tenant(),
    }),
    reset: (next: { seed?: number; customers?: number; parts?: number; anchor?: string } = {}) => {
      currentOptions = {
        ...currentOptions,
        ...next,
        parts: next.parts ?? (next.customers === undefined ? currentOptions.parts : undefined),
      };
      store = new PlantStore(currentOptions, clock);
      stats.reset();
      limiter.reset();
      faults.clear();
      log.info(
        { seed: currentOptions.seed, customers: currentOptions.customers },
        "plex sandbox reset",
      );
    },
    advanceClock: (ms: number) => {
      clock.advance(ms);
      return clock.nowIso();
    },
    markNotReady: () => {
      ready = false;
    },
    close: async () => {
      ready = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  } satisfies TPlexSandboxHandle);
  log.info(
    { url, customers: store.plant.customerCount, orders: store.index.orderCount },
    "plex sandbox listening",
  );

  return handle;
}
