/**
 * The Plex records the connector reads, as zod schemas with the published field names
 * (reference plex-api.md Appendix B). Plex's "setup table" values are free strings per tenant and
 * any field may be missing or null, so only the id is required; unknown fields pass through.
 * Consumers parse record by record, so one malformed row is rejected alone, not the whole window.
 */
import { z } from "zod";

const text = z.string().nullish();
const number = z.number().nullish();
const flag = z.boolean().nullish();
const id = z.string().min(1);

export const ZPlexTenant = z.looseObject({ id, code: text });

export const ZPlexCustomer = z.looseObject({
  id,
  code: text,
  name: text,
  status: text,
  type: text,
  industries: z.array(z.string()).nullish(),
  region: text,
  category: text,
  class: text,
  phone: text,
  email: text,
  note: text,
  createdDate: text,
  modifiedDate: text,
});
export type TPlexCustomer = z.infer<typeof ZPlexCustomer>;

export const ZPlexAddress = z.looseObject({
  id,
  code: text,
  name: text,
  address: text,
  city: text,
  state: text,
  zip: text,
  country: text,
  region: text,
  email: text,
  phone: text,
  billTo: flag,
  shipTo: flag,
  soldTo: flag,
  active: flag,
  modifiedDate: text,
});
export type TPlexAddress = z.infer<typeof ZPlexAddress>;

export const ZPlexContact = z.looseObject({
  id,
  customerId: text,
  firstName: text,
  lastName: text,
  title: text,
  email: text,
  phone: text,
  mobilePhone: text,
  companyName: text,
  type: text,
  modifiedDate: text,
});
export type TPlexContact = z.infer<typeof ZPlexContact>;

export const ZPlexPart = z.looseObject({
  id,
  number: text,
  name: text,
  revision: text,
  description: text,
  type: text,
  group: text,
  productType: text,
  status: text,
  modifiedDate: text,
});
export type TPlexPart = z.infer<typeof ZPlexPart>;

export const ZPlexSalesOrder = z.looseObject({
  id,
  customerId: text,
  orderNumber: text,
  poNumber: text,
  status: text,
  type: text,
  orderDate: text,
  billToAddressId: text,
  shipToAddressId: text,
  contactId: text,
  createdDate: text,
  modifiedDate: text,
});
export type TPlexSalesOrder = z.infer<typeof ZPlexSalesOrder>;

export const ZPlexOrderLine = z.looseObject({
  id,
  orderId: text,
  partId: text,
  lineNumber: text,
  active: flag,
});
export type TPlexOrderLine = z.infer<typeof ZPlexOrderLine>;

export const ZPlexLinePrice = z.looseObject({
  id,
  orderLineId: text,
  price: number,
  currencyCode: text,
  unit: text,
  active: flag,
  primaryPrice: flag,
  effectiveDate: text,
  expirationDate: text,
});
export type TPlexLinePrice = z.infer<typeof ZPlexLinePrice>;

export const ZPlexRelease = z.looseObject({
  id,
  releaseNumber: text,
  orderLineId: text,
  quantity: number,
  quantityShipped: number,
  status: text,
  shipDate: text,
  dueDate: text,
  modifiedDate: text,
});
export type TPlexRelease = z.infer<typeof ZPlexRelease>;

export const ZPlexShipper = z.looseObject({
  id,
  shipperNumber: text,
  customerId: text,
  shipDate: text,
  status: text,
  trackingNumber: text,
  carrierId: text,
  modifiedDate: text,
});
export type TPlexShipper = z.infer<typeof ZPlexShipper>;

export const ZPlexShipperLine = z.looseObject({
  id,
  shipperId: text,
  partId: text,
  quantity: number,
  releaseId: text,
  price: number,
});
export type TPlexShipperLine = z.infer<typeof ZPlexShipperLine>;

export const ZPlexArInvoice = z.looseObject({
  id,
  invoiceNumber: text,
  customerId: text,
  customerCode: text,
  customerOrderNos: text,
  poNumber: text,
  shipperNo: text,
  currencyCode: text,
  amount: number,
  balance: number,
  paid: flag,
  paidDate: text,
  status: text,
  void: flag,
  creditMemo: number,
  transactionDate: text,
  modifiedDate: text,
});
export type TPlexArInvoice = z.infer<typeof ZPlexArInvoice>;

export const ZPlexActivity = z.looseObject({
  activityId: id,
  activityName: text,
  activityType: text,
  activityStatus: text,
  description: text,
  customerCode: text,
  comments: z.array(z.string()).nullish(),
  createdDateTime: text,
});
export type TPlexActivity = z.infer<typeof ZPlexActivity>;

/** Body of POST /management/v1/activity-manager (PUT takes the same fields, §4). */
export type TPlexActivityWrite = {
  activityName: string;
  description?: string;
  activityType?: string;
  activityStatus?: string;
  customerCode: string;
  comments?: string[];
  private?: boolean;
  plannedStartDateTime?: string;
};
