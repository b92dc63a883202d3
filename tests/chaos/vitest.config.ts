import { defineConfig, mergeConfig } from "vitest/config";

import { vitestConfig } from "../../vitest.shared.js";

// Chaos runs start simulators and real processes and wait for jobs to recover from stalls.
export default mergeConfig(
  vitestConfig({ testTimeout: 300_000 }),
  defineConfig({ test: { hookTimeout: 180_000 } }),
);
