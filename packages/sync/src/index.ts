export { appendAudit, type TAuditEvent, type TAuditStage } from "./audit.writer.js";
export { collectBatch, type TBatchCollection } from "./batch-collector.js";
export { pollContacts } from "./contact-stream.reader.js";
export { readCursor, recordRunFailure, saveCursor, type TCursor } from "./cursor.store.js";
export {
  pollCustomers,
  type TCustomerSourceData,
  type TCustomerStreamOptions,
} from "./customer-stream.reader.js";
export {
  maskEmailsIn,
  writeCustomers,
  type TWriteContext,
  type TWriteResult,
} from "./customer.writer.js";
export { deliverMembers, type TMemberResult } from "./member-delivery.js";
export {
  LIST_WEBHOOK_EVENTS,
  LIST_WEBHOOK_SOURCES,
  ensureListWebhook,
  type TListWebhookOutcome,
  type TListWebhookTarget,
} from "./list-webhook.provisioner.js";
export {
  ensureProvisioned,
  provisionConnection,
  type TProvisionOptions,
  type TProvisionResult,
} from "./provisioner.js";
export {
  BACKFILL_START,
  WINDOW_OVERLAP_MS,
  WINDOW_SETTLE_MS,
  type TPollContext,
  type TPollResult,
} from "./poll.types.js";
export {
  loadChildren,
  loadRecords,
  markOutcomes,
  upsertSourceRecords,
  type TOutcome,
  type TSourceRecord,
  type TStoredRecord,
} from "./record.store.js";
export { WindowPlanner, type TWindow } from "./window.planner.js";
export {
  DEFAULT_STREAM_PATTERNS,
  activeBlackout,
  streamSchedules,
  type TStreamSchedule,
} from "./stream-schedule.js";
export {
  auditTimeline,
  connectionStatus,
  listRecords,
  type TAuditTimeline,
  type TConnectionStatus,
  type TRecordFilter,
  type TRecordSummary,
  type TStreamStatus,
} from "./operator.queries.js";
export { replayRecords, type TReplayContext, type TReplaySelection } from "./replay.js";
// Sales orders → e-commerce orders (issue #6).
export {
  ORDER_STREAMS,
  pollOrderStream,
  type TOrderPollResult,
  type TOrderStream,
  type TOrderStreamOptions,
} from "./order-stream.reader.js";
export { pollParts } from "./part-stream.reader.js";
export { assembleReadyOrders, type TAssemblyResult } from "./order.assembler.js";
export { writeOrders, type TOrderWriteContext, type TOrderWriteResult } from "./order.writer.js";
export { writeProducts, type TProductWriteResult } from "./product.writer.js";
export { collectOrderBatch, type TOrderBatchContext } from "./order-batch.collector.js";
export { loadCustomerStats, refreshCustomerStats } from "./customer-order-stats.js";
export { requestOrderRebuild } from "./order-replay.js";
export type { TOrderBundle } from "./order-bundle.js";
export { handOnStranded, type TStrandedSweep } from "./stranded-records.js";
