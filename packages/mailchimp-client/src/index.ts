export * from "./audience.api.js";
export * from "./batches.api.js";
export { MailchimpConnectionSemaphore, type TSemaphoreOptions } from "./connection-semaphore.js";
export * from "./ecommerce.api.js";
export {
  DEFAULT_API_BASE_TEMPLATE,
  MailchimpConfigError,
  accountIdentity,
  apiBaseUrl,
  authorizationHeader,
  dataCenterFromApiKey,
  dataCenterOf,
  subscriberHash,
  type TMailchimpAuth,
} from "./mailchimp-auth.js";
export {
  MailchimpApiError,
  mailchimpErrorFromException,
  mailchimpErrorFromResponse,
  type TFieldError,
  type TMailchimpErrorKind,
} from "./mailchimp-errors.js";
export {
  MailchimpClient,
  type TMailchimpClientConfig,
  type TMailchimpRequest,
} from "./mailchimp.client.js";
export * from "./oauth.js";
export * from "./reports.api.js";
