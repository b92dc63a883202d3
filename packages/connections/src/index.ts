export { checkConnection, type TConnectionCheck, type TSideResult } from "./connection-check.js";
export {
  mailchimpAuthOf,
  openMailchimpClient,
  openPlexClients,
  type TClientDeps,
  type TPlexClients,
} from "./connection-clients.js";
export * from "./connection.schema.js";
export {
  ConnectionError,
  ConnectionService,
  type TConnectionView,
  type TEndpoints,
} from "./connection.service.js";
