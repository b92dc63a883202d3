/**
 * plex-poller entry point: configuration, connections and processors are wired here; the work itself
 * lives in packages/ and in processors/. See README.md for what this service consumes and produces.
 */
import { bootService } from "@ml-connector/runtime";

import { ZEnv } from "./env.js";

const { host } = bootService("plex-poller", ZEnv);

// TODO(#5): register the plex-poll processor and the per-stream job schedulers.

await host.start();
