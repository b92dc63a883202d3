export * from "./registry.js";
export { createProducer, safeJobId, type TProducer } from "./producer.js";
export { enqueueWriteRecords } from "./write-jobs.js";
