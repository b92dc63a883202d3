/**
 * What every route of the sandbox shares. The store is behind a getter because a reset replaces
 * it (a new seed or size means a new plant and new indexes).
 */
import type { Logger } from "@ml-connector/runtime";

import type { CallStats } from "../http/call.stats.js";
import type { CredentialRegistry } from "../http/credentials.js";
import type { FaultInjector } from "../http/fault.injector.js";
import type { RateLimiter } from "../http/rate.limiter.js";
import type { SandboxSettings } from "../http/sandbox.settings.js";
import type { PlantStore } from "../store/plant.store.js";
import type { SandboxClock } from "../store/sandbox.clock.js";

export type TSandboxContext = {
  store: () => PlantStore;
  clock: SandboxClock;
  settings: SandboxSettings;
  stats: CallStats;
  limiter: RateLimiter;
  faults: FaultInjector;
  credentials: CredentialRegistry;
  log: Logger;
  /** Rows a UX data-source call returns before it sets rowLimitedExceeded (reference §3.2). */
  uxRowLimit: number;
};
