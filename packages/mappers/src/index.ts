export {
  DEFAULT_MAPPING_OPTIONS,
  type TCustomerMapping,
  type TCustomerOrderStats,
  type TCustomerSource,
  type TIdentity,
  type TMappedMember,
  type TMappingOptions,
  type TMappingOptionsInput,
  type TMergeAddress,
  type TMergeFieldValue,
  type TRejection,
  type TRejectionCode,
  type TRejectionEntity,
} from "./mapping.types.js";
export { mapCustomer } from "./customer.mapper.js";
export { resolveOptions } from "./mapping.options.js";
export { toMemberUpsert } from "./member-body.mapper.js";
export {
  ECOMMERCE_CUSTOMER_ID_MAX,
  ecommerceCustomerId,
  mapEcommerceCustomer,
  primaryContact,
} from "./ecommerce-customer.mapper.js";
export { checkEmail, maskEmail, normaliseEmail, type TEmailCheck } from "./email.rules.js";
export { normalisePhone, phoneKey, displayPhone, type TPhoneKey } from "./phone.normalizer.js";
export { countryCode, callingCode } from "./country.table.js";
export {
  MERGE_ADDRESS_LINE_MAX,
  MERGE_FIELDS,
  MERGE_TEXT_MAX,
  mergeFieldDefinition,
  type TMergeFieldDefinition,
  type TMergeFieldType,
  type TMergeTag,
} from "./merge-field.definitions.js";
export {
  DEFAULT_TAG_PREFIX,
  MAX_TAG_LENGTH,
  normaliseTagPrefix,
  tagChanges,
  type TTagChange,
} from "./member-tags.mapper.js";
export { canonicalJson, contentHash } from "./content-hash.js";
export { detectDuplicateEmails, type TDuplicateResolution } from "./duplicate-email.detector.js";
export {
  mapSalesOrder,
  type TOrderMapping,
  type TOrderMappingOptions,
  type TSalesOrderSource,
} from "./sales-order.mapper.js";
export { mapPartToProduct } from "./product.mapper.js";
export {
  financialStatus,
  fulfillmentStatus,
  isCancelledStatus,
  type TFinancialStatus,
  type TFulfillmentStatus,
} from "./order-status.rules.js";
export {
  computeCustomerOrderStats,
  type TCustomerOrderHistory,
} from "./customer-stats.aggregator.js";
export { slug, isoDate, isoDateTime } from "./text.normalizer.js";
