/** Every Marketing API operation the sandbox serves (see spec/served-operations.ts). */
import { BATCH_ROUTES } from "../batches/batch.routes.js";
import { CAMPAIGN_ROUTES } from "../campaigns/campaign.routes.js";
import { REPORT_ROUTES } from "../campaigns/report.routes.js";
import { ORDER_ROUTES } from "../ecommerce/order.routes.js";
import { PRODUCT_ROUTES } from "../ecommerce/product.routes.js";
import { STORE_ROUTES } from "../ecommerce/store.routes.js";
import { LIST_ROUTES } from "../lists/list.routes.js";
import { MERGE_FIELD_ROUTES } from "../lists/merge-field.routes.js";
import { MEMBER_ROUTES } from "../members/member.routes.js";
import { LIST_WEBHOOK_ROUTES } from "../webhooks/list-webhook.routes.js";
import type { TApiRoute } from "./api-route.js";
import { ROOT_ROUTES } from "./root.routes.js";

export const API_ROUTES: TApiRoute[] = [
  ...ROOT_ROUTES,
  ...LIST_ROUTES,
  ...MEMBER_ROUTES,
  ...MERGE_FIELD_ROUTES,
  ...LIST_WEBHOOK_ROUTES,
  ...BATCH_ROUTES,
  ...STORE_ROUTES,
  ...PRODUCT_ROUTES,
  ...ORDER_ROUTES,
  ...CAMPAIGN_ROUTES,
  ...REPORT_ROUTES,
];
