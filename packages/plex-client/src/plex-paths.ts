/**
 * The Plex Connect paths the connector reads, exactly as published (reference plex-api.md §2.8).
 * Query parameters for each are allow-listed from the spec (scripts/generate-query-params.ts).
 */
export const PLEX_GET_PATHS = [
  "/mdm/v1/tenants",
  "/mdm/v1/customers",
  "/mdm/v1/customers/{id}",
  "/mdm/v1/customers/{customerId}/addresses",
  "/mdm/v1/contacts",
  "/mdm/v1/parts",
  "/sales/v1/orders",
  "/sales/v1/orders/{id}/lines",
  "/sales/v1/orders/{id}/lines/{lineId}/prices",
  "/sales/v1/releases",
  "/shipping/v1/customer-shippers",
  "/shipping/v1/customer-shippers/{shipperId}/lines",
  "/accounting/v1/ar-invoices",
  "/management/v1/activity-manager",
  "/management/v1/activity-manager/{id}",
] as const;

export type TPlexGetPath = (typeof PLEX_GET_PATHS)[number];

/** Fills `{name}` placeholders; values are URL-encoded so an id cannot change the path. */
export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === "") throw new Error(`path parameter ${name} is missing`);

    return encodeURIComponent(value);
  });
}
