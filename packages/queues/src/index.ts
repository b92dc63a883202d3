export * from "./registry.js";
export { createProducer, safeJobId, type TProducer } from "./producer.js";
