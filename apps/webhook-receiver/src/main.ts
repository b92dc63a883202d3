/**
 * webhook-receiver entry point: configuration, connections and processors are wired here; the work itself
 * lives in packages/ and in processors/. See README.md for what this service consumes and produces.
 */
import { bootService } from "@ml-connector/runtime";

import { ZEnv } from "./env.js";

const { host } = bootService("webhook-receiver", ZEnv);

// TODO(#7): register the webhook routes and the inbox flusher.

await host.start();
