export { WebhookInputError, type TWebhookInputStatus } from "./intake/webhook-input.error.js";
export {
  DEFAULT_FORM_LIMITS,
  decodeFormPairs,
  isStorableText,
  parseNestedForm,
  type TFormLimits,
  type TFormTree,
  type TParsedForm,
} from "./intake/form-body.parser.js";
export {
  IGNORED_LIST_EVENT_TYPES,
  LIST_EVENT_TYPES,
  ZListEvent,
  checkListEvent,
  firedAtDate,
  type TListEvent,
  type TListEventType,
} from "./intake/mailchimp-event.schema.js";
export {
  MAX_MANDRILL_EVENTS,
  mandrillEventType,
  parseMandrillEvents,
  type TMandrillEvent,
} from "./intake/mandrill-event.schema.js";
export {
  constantTimeEqual,
  mandrillSignature,
  verifyMandrillSignature,
} from "./intake/mandrill.signature.js";
export {
  InboxRowRefusedError,
  InboxUnavailableError,
  InboxWriter,
  type TInboxEntry,
  type TInboxOutcome,
  type TInboxSource,
  type TInboxWriterOptions,
  type TStoredRow,
} from "./intake/inbox.writer.js";
export { INBOX_IDS_PER_JOB, InboxDispatcher, jobsFor } from "./intake/inbox.dispatcher.js";
export { requeuePendingInbox, type TSweepOptions } from "./intake/inbox.sweeper.js";
export {
  WebhookEndpointCache,
  type TEndpointCacheOptions,
  type TEndpointState,
  type TWebhookEndpoint,
} from "./intake/webhook-endpoint.cache.js";
export {
  WebhookIntake,
  formContentKey,
  type TIntakeAnswer,
  type TWebhookIntakeDeps,
} from "./intake/webhook.intake.js";
export {
  ACTIVITY_NAME_MAX,
  COMMENT_MAX,
  activityName,
  campaignActivityName,
  commentLine,
  type TActivityKind,
} from "./writeback/activity.format.js";
export { mergeComments } from "./writeback/activity.store.js";
export {
  writeCustomerActivities,
  type TActivitySettings,
  type TActivityWriteContext,
  type TActivityWriteResult,
} from "./writeback/activity.writer.js";
export {
  collectCampaignReport,
  type TReportContext,
  type TReportResult,
} from "./writeback/campaign-report.collector.js";
export {
  checkListWebhooks,
  ensureConnectionWebhook,
  listWebhookUrl,
  sweepEngagement,
  type TSweepDeps,
  type TSweepResult,
  type TWebhookCheckDeps,
} from "./writeback/engagement.maintenance.js";
export {
  interpretInboxRow,
  type TEventPlan,
  type TInboxRow,
  type TInteractionDraft,
  type TMemberLookup,
} from "./writeback/event.interpreter.js";
export {
  IdentityResolver,
  type TCustomerRef,
  type TResolution,
} from "./writeback/identity.resolver.js";
export { AUDIT_ENTITY, processInbox, type TProcessResult } from "./writeback/inbox.processor.js";
export { replayInbox, type TReplayResult } from "./writeback/inbox.replay.js";
export type { TWritebackContext, TWritebackScheduler } from "./writeback/writeback.context.js";
