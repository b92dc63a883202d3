// Shared vitest settings: workspace packages resolve to their TypeScript sources (the "source"
// export condition), so a test never runs against a stale build of a sibling package.
import { defineConfig } from "vitest/config";

export function vitestConfig(overrides: { include?: string[]; testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions: ["source"] },
    ssr: { resolve: { conditions: ["source"] } },
    test: {
      include: overrides.include ?? ["src/**/*.test.ts"],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      pool: "forks",
      fileParallelism: false,
    },
  });
}
