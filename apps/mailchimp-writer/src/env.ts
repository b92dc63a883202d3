/** Configuration of mailchimp-writer; the shared variables are documented in @ml-connector/runtime. */
import { z } from "zod";

import { ZCommonEnv } from "@ml-connector/runtime";

export const ZEnv = ZCommonEnv.extend({
  // Port of the health, readiness and metrics endpoints.
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8082),
  // Write jobs run at once by this process. Mailchimp's connection cap is enforced in Redis
  // across every replica, so more jobs than that only queue up behind it.
  WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(16),
});
export type TEnv = z.infer<typeof ZEnv>;
