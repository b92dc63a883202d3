/** Configuration of plex-writeback; the shared variables are documented in @ml-connector/runtime. */
import { z } from "zod";

import { ZCommonEnv } from "@ml-connector/runtime";

export const ZEnv = ZCommonEnv.extend({
  // Port of the health, readiness and metrics endpoints.
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8084),
});
export type TEnv = z.infer<typeof ZEnv>;
