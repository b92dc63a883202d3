/**
 * The Plex Connect list endpoints the sandbox serves and their query parameters, exactly as
 * published (specs/plex-connect.openapi.yaml, reference/plex-api.md Appendix B). The contract
 * test checks every path, parameter name and type here against the spec.
 */
import { param, type TParamDef } from "../http/query.parser.js";

export const TENANT_PARAMS: TParamDef[] = [
  param("idList", "uuid[]", { field: "id" }),
  param("code", "string"),
  param("codeList", "string[]", { field: "code" }),
];

export const CUSTOMER_PARAMS: TParamDef[] = [
  param("id", "uuid[]"),
  param("code", "string"),
  param("name", "string"),
  param("status", "string"),
  param("type", "string"),
  param("otherCustomerCode", "string"),
  param("rating", "string"),
  param("industries", "string[]"),
  param("region", "string"),
  param("category", "string"),
  param("class", "string"),
  param("catalog", "string"),
  param("assignedToId", "uuid"),
  param("assignedTo2Id", "uuid"),
  param("assignedTo3Id", "uuid"),
  param("assignedToGroup", "string"),
  // Published with a capital "ID" while the response field is contactResourceId.
  param("contactResourceID", "uuid", { field: "contactResourceId" }),
  param("trackingNoOnWeighScaleRequired", "boolean"),
  param("estimatedAnnualSales", "string"),
  param("modifiedDateBegin", "date-time"),
  param("modifiedDateEnd", "date-time"),
];

export const ADDRESS_PARAMS: TParamDef[] = [
  param("id", "uuid[]"),
  param("code", "string"),
  param("quoteTo", "boolean"),
  param("shipTo", "boolean"),
  param("billTo", "boolean"),
  param("remitTo", "boolean"),
  param("thirdPartyShipTo", "boolean"),
  param("pool", "boolean"),
  param("oldCustomerNo", "string"),
  param("active", "boolean"),
  param("modifiedDateBegin", "date-time"),
  param("modifiedDateEnd", "date-time"),
];

/** Contacts have no date window at all (reference §2.5): a full pull is the only way. */
export const CONTACT_PARAMS: TParamDef[] = [
  param("id", "uuid[]"),
  param("customerId", "uuid"),
  param("firstName", "string"),
  param("lastName", "string"),
  param("companyName", "string"),
  param("description", "string"),
  param("supplierId", "uuid"),
  param("type", "string"),
  param("associatedWithId", "uuid"),
];

export const PART_PARAMS: TParamDef[] = [
  param("id", "uuid[]"),
  param("number", "string"),
  param("revision", "string"),
  param("type", "string"),
  param("status", "string"),
  param("source", "string"),
  param("productType", "string"),
  param("allergens", "string[]"),
];

/** Sales orders publish `modifiedByDateBegin/End` (sic), not modifiedDateBegin (reference §2.5). */
export const ORDER_PARAMS: TParamDef[] = [
  param("id", "uuid[]"),
  param("customerId", "uuid"),
  param("orderNumber", "string"),
  param("poNumber", "string"),
  param("poNumberRevisionDateBegin", "date-time"),
  param("poNumberRevisionDateEnd", "date-time"),
  param("status", "string[]"),
  param("type", "string[]"),
  param("category", "string"),
  param("orderDateBegin", "date-time"),
  param("orderDateEnd", "date-time"),
  param("expirationDateBegin", "date-time"),
  param("expirationDateEnd", "date-time"),
  param("terms", "string"),
  param("incoTerms", "string"),
  param("fob", "string"),
  param("freightTerms", "string"),
  param("insideSalesId", "uuid"),
  param("outsideSalesId", "uuid", { rule: "in", field: "outsideSalesIds" }),
  param("createdById", "uuid"),
  param("createdDateBegin", "date-time"),
  param("createdDateEnd", "date-time"),
  param("modifiedById", "uuid"),
  param("modifiedByDateBegin", "date-time", { field: "modifiedDate" }),
  param("modifiedByDateEnd", "date-time", { field: "modifiedDate" }),
];

export const RELEASE_PARAMS: TParamDef[] = [
  param("id", "uuid"),
  param("releaseNumber", "string"),
  param("orderLineIds", "uuid[]", { field: "orderLineId" }),
  param("type", "string"),
  param("shipToAddressId", "uuid"),
  param("shipDateBegin", "date-time"),
  param("shipDateEnd", "date-time"),
  param("dueDateBegin", "date-time"),
  param("dueDateEnd", "date-time"),
  param("status", "string"),
  param("source", "string"),
  param("scheduleDateBegin", "date-time"),
  param("scheduleDateEnd", "date-time"),
  param("createdById", "uuid"),
  param("createdDateBegin", "date-time"),
  param("createdDateEnd", "date-time"),
  param("modifiedById", "uuid"),
  param("modifiedDateBegin", "date-time"),
  param("modifiedDateEnd", "date-time"),
  param("partNumber", "string"),
];

export const SHIPPER_PARAMS: TParamDef[] = [
  param("id", "uuid[]"),
  param("shipperNumber", "string"),
  param("customerId", "uuid"),
  param("customerAddressId", "uuid"),
  param("shipDateBegin", "date-time"),
  param("shipDateEnd", "date-time"),
  param("shippedById", "uuid"),
  param("carrierId", "uuid"),
  param("freightTerms", "string"),
  param("status", "string"),
  param("trackingNumber", "string"),
  param("trailerNumber", "string"),
  param("scheduledShipDateBegin", "date-time"),
  param("scheduledShipDateEnd", "date-time"),
  param("createdById", "uuid"),
  param("createdDateBegin", "date-time"),
  param("createdDateEnd", "date-time"),
  param("modifiedById", "uuid"),
  param("modifiedDateBegin", "date-time"),
  param("modifiedDateEnd", "date-time"),
  param("truckId", "uuid"),
  param("expediteReason", "string"),
  param("expediteDepartment", "string"),
  param("expediteAuthorizedById", "uuid"),
  param("shipFromCode", "string"),
  param("truckArrivalTimeBegin", "date-time"),
  param("truckArrivalTimeEnd", "date-time"),
  param("printedById", "uuid"),
  param("printedDateBegin", "date-time"),
  param("printedDateEnd", "date-time"),
  param("pickListPrintedDateTimeBegin", "date-time"),
  param("pickListPrintedDateTimeEnd", "date-time"),
  param("truckArrivalTimeOfDayBegin", "time"),
  param("truckArrivalTimeOfDayEnd", "time"),
];

export const SHIPPER_LINE_PARAMS: TParamDef[] = [param("id", "uuid[]")];

export const INVOICE_PARAMS: TParamDef[] = [
  param("id", "uuid[]"),
  param("invoiceNumber", "string"),
  param("periodDisplayBegin", "string"),
  param("periodDisplayEnd", "string"),
  param("transactionDateBegin", "date-time"),
  param("transactionDateEnd", "date-time"),
  param("createdDateBegin", "date-time"),
  param("createdDateEnd", "date-time"),
  param("booked", "boolean"),
  param("modifiedDateBegin", "date-time"),
  param("modifiedDateEnd", "date-time"),
  param("customerCode", "string"),
  param("customerPONo", "string"),
  param("status", "string"),
  // int32 in the spec while the field is a boolean: 1 = paid, 0 = open.
  param("paid", "int"),
  param("void", "boolean"),
];

export const ACTIVITY_PARAMS: TParamDef[] = [
  param("tenantId", "uuid"),
  param("activityIds", "uuid[]", { field: "activityId" }),
  param("activityName", "string"),
  param("activityType", "string"),
  param("activityStatus", "string"),
  param("priority", "int"),
  param("dueDateStartDateTime", "date-time", { rule: "from", field: "dueDateTime" }),
  param("dueDateEndDateTime", "date-time", { rule: "to", field: "dueDateTime" }),
  param("customerCode", "string"),
  param("supplierCode", "string"),
  param("location", "string"),
  param("private", "boolean"),
  param("assignedTo", "uuid"),
  param("assignedToDepartment", "string"),
  param("involvedUsers", "uuid[]"),
  // No response field carries these two; they are validated and otherwise ignored (README).
  param("statusType", "int", { rule: "ignored" }),
  param("progressType", "int", { rule: "ignored" }),
  param("parentActivity", "uuid"),
  param("plannedStartDateTime", "date-time", { rule: "from" }),
  param("plannedFinishDateTime", "date-time", { rule: "to" }),
];

/** Every GET path served, with its declared query parameters (for the contract test). */
export const CONNECT_GET_PATHS: Record<string, TParamDef[]> = {
  "/mdm/v1/tenants": TENANT_PARAMS,
  "/mdm/v1/tenants/{id}": [],
  "/mdm/v1/customers": CUSTOMER_PARAMS,
  "/mdm/v1/customers/{id}": [],
  "/mdm/v1/customers/{customerId}/addresses": ADDRESS_PARAMS,
  "/mdm/v1/customers/{customerId}/addresses/{addressId}": [],
  "/mdm/v1/contacts": CONTACT_PARAMS,
  "/mdm/v1/contacts/{id}": [],
  "/mdm/v1/parts": PART_PARAMS,
  "/mdm/v1/parts/{id}": [],
  "/sales/v1/orders": ORDER_PARAMS,
  "/sales/v1/orders/{id}": [],
  "/sales/v1/orders/{id}/lines": [],
  "/sales/v1/orders/{id}/lines/{lineId}": [],
  "/sales/v1/orders/{id}/lines/{lineId}/prices": [],
  "/sales/v1/orders/{id}/lines/{lineId}/prices/{priceId}": [],
  "/sales/v1/releases": RELEASE_PARAMS,
  "/sales/v1/releases/{id}": [],
  "/shipping/v1/customer-shippers": SHIPPER_PARAMS,
  "/shipping/v1/customer-shippers/{id}": [],
  "/shipping/v1/customer-shippers/{shipperId}/lines": SHIPPER_LINE_PARAMS,
  "/shipping/v1/customer-shippers/{shipperId}/lines/{lineId}": [],
  "/accounting/v1/ar-invoices": INVOICE_PARAMS,
  "/accounting/v1/ar-invoices/{id}": [],
  "/management/v1/activity-manager": ACTIVITY_PARAMS,
  "/management/v1/activity-manager/{id}": [],
};

/** Write operations served (method and path as in the spec). */
export const CONNECT_WRITE_OPERATIONS: { method: "post" | "put"; path: string }[] = [
  { method: "post", path: "/management/v1/activity-manager" },
  { method: "put", path: "/management/v1/activity-manager/{id}" },
];

/** "/a/{id}/b" → "/a/:id/b" for express. */
export function expressPath(specPath: string): string {
  return specPath.replace(/\{(\w+)\}/g, ":$1");
}
