export { PlexCallBudget, type TCallBudgetOptions } from "./call-budget.js";
export { ClientCredentialsTokenProvider, type TClientCredentials } from "./oauth-token.provider.js";
export {
  PlexConnectClient,
  type TPlexConnectAuth,
  type TPlexConnectConfig,
  type TRequestOptions,
} from "./plex-connect.client.js";
export {
  PlexSoapClient,
  PlexUxDataSourceClient,
  parseSoapResponse,
  soapEnvelope,
  type TBasicCredentials,
  type TDataSourceRows,
} from "./plex-datasource.client.js";
export {
  PlexApiError,
  plexErrorFromException,
  plexErrorFromResponse,
  retryHintFromMessage,
  type TPlexErrorKind,
} from "./plex-errors.js";
export { PLEX_GET_PATHS, fillPath, type TPlexGetPath } from "./plex-paths.js";
export {
  UnknownPlexParameterError,
  buildPlexQuery,
  toPlexDateTime,
  type TPlexQuery,
  type TQueryValue,
} from "./plex-query.js";
export * from "./plex-records.js";
