import { describe, expect, it } from "vitest";
import { z } from "zod";

import { ConfigError, ZCommonEnv, describeEnv, parseEnv } from "./env.js";

describe("parseEnv", () => {
  it("applies the documented defaults", () => {
    const env = parseEnv(ZCommonEnv, {});

    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.SHUTDOWN_TIMEOUT_MS).toBe(8_000);
    expect(env.QUEUE_PREFIX).toBe("mlc");
  });

  it("names every invalid variable in one error", () => {
    const attempt = () =>
      parseEnv(ZCommonEnv, { REDIS_URL: "http://nope", SHUTDOWN_TIMEOUT_MS: "soon" });

    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const problems = (err as ConfigError).problems.join("\n");
      expect(problems).toContain("REDIS_URL");
      expect(problems).toContain('got "http://nope"');
      expect(problems).toContain("SHUTDOWN_TIMEOUT_MS");
    }
  });

  it("never repeats the value of a secret-named variable it rejects", () => {
    const schema = z.object({ MASTER_KEY: z.string().length(44) });

    try {
      parseEnv(schema, { MASTER_KEY: "short-but-secret-value" });
      expect.unreachable("MASTER_KEY should have been rejected");
    } catch (err) {
      expect((err as Error).message).toContain("MASTER_KEY");
      expect((err as Error).message).toContain("value hidden");
      expect((err as Error).message).not.toContain("short-but-secret-value");
    }
  });
});

describe("describeEnv", () => {
  it("hides secret-named values and URL passwords", () => {
    const described = describeEnv({
      CONSOLE_PASSWORD: "correct horse battery staple",
      DATABASE_URL: "postgresql://app:s3cr3t-pass@db:5432/mlc",
      LOG_LEVEL: "info",
    });

    expect(described.CONSOLE_PASSWORD).toBe("[hidden]");
    expect(described.DATABASE_URL).toBe("postgresql://app:hidden@db:5432/mlc");
    expect(described.LOG_LEVEL).toBe("info");
  });
});
