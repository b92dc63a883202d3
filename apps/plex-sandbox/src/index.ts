export {
  DEFAULT_CUSTOMERS,
  startPlexSandbox,
  type TPlexSandboxHandle,
  type TPlexSandboxOptions,
  type TSandboxState,
} from "./plex-sandbox.js";
export {
  DEFAULT_API_KEY,
  DEFAULT_OAUTH_CLIENT,
  DEFAULT_WEB_SERVICE_USER,
  type TApiKey,
  type TOAuthClient,
  type TWebServiceUser,
} from "./http/credentials.js";
export { DEFAULT_LATENCY, DEFAULT_RATE_LIMIT } from "./http/sandbox.settings.js";
export type { TFaultRule } from "./http/fault.injector.js";
export type { TStatsSnapshot, TKeyStats } from "./http/call.stats.js";
export {
  CUSTOMER_LIST_DATA_SOURCE,
  SALES_ORDER_LIST_DATA_SOURCE,
  DATA_SOURCES,
} from "./datasources/data-source.catalog.js";
export { CONNECT_GET_PATHS, CONNECT_WRITE_OPERATIONS } from "./routes/connect.endpoints.js";
export { PlexPlant } from "./generator/shipment.generator.js";
export { DEFAULT_ANCHOR, type TPlantOptions } from "./generator/plant.generator.js";
export { PlantIndex } from "./store/plant.index.js";
