export {
  startMailchimpSandbox,
  type TSandboxDefaults,
  type TStartOptions,
} from "./sandbox.server.js";
export { SandboxHandle, type TAccountStatsView } from "./sandbox.handle.js";
export {
  DEFAULT_API_KEY,
  DEFAULT_LIST_ID,
  DEFAULT_OAUTH_CLIENT_ID,
  DEFAULT_OAUTH_CLIENT_SECRET,
  DEFAULT_STORE_ID,
  ZSandboxOptions,
  type TSandboxOptions,
  type TSandboxOptionsInput,
} from "./config/sandbox-options.js";
export { subscriberHash } from "./state/id-generator.js";
export { formatWebhookTime } from "./state/sandbox-clock.js";
export { mandrillSignature } from "./webhooks/mandrill.signature.js";
export { ResponseContract, type TContractResult } from "./spec/response-contract.js";
export type { TSubscriberAction } from "./control/subscriber-actions.js";
export type { TSendCampaignInput } from "./campaigns/campaign.simulator.js";
export type { TFaultRule, TFaultRuleInput } from "./http/fault.injector.js";
export type { TMandrillEventInput } from "./control/mandrill-events.js";
export type { TDelivery } from "./webhooks/delivery.queue.js";
