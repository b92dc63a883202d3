import { randomBytes } from "node:crypto";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { ROOT, parseLogLines, startProcess, waitForExit, waitForHttp } from "./process-harness.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DATABASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mlc_test";

// Credential-shaped values given as configuration. The test database uses trust authentication,
// so a password in its URL is accepted and ignored by the server — but it must never be logged.
const CONSOLE_PASSWORD = "Console-Pass-7f3a9c2e51";
const DB_PASSWORD = "Db-Pass-0b8d4e6f13";
const SESSION_SECRET = "session-secret-4c1d7e9a2b5f8036a1d4c7e0b3f6a9d2";
const MASTER_KEY = randomBytes(32).toString("base64");

function databaseUrlWithPassword(): string {
  const url = new URL(DATABASE_URL);
  url.password = DB_PASSWORD;

  return url.toString();
}

const SERVICES = [
  { name: "plex-poller", port: 18081 },
  { name: "mailchimp-writer", port: 18082 },
  { name: "webhook-receiver", port: 18083 },
  { name: "plex-writeback", port: 18084 },
  { name: "console", port: 18080 },
];

describe.each(SERVICES)("$name as a process", ({ name, port }) => {
  it("becomes ready, stops on SIGTERM within 10 s, and never logs a configured secret", async () => {
    const running = startProcess([join(ROOT, "apps", name, "dist", "main.js")], {
      HTTP_PORT: String(port),
      HTTP_HOST: "127.0.0.1",
      LOG_LEVEL: "trace",
      REDIS_URL,
      DATABASE_URL: databaseUrlWithPassword(),
      QUEUE_PREFIX: "mlc-system-test",
      CONSOLE_PASSWORD,
      CONSOLE_SESSION_SECRET: SESSION_SECRET,
      MASTER_KEYS: `1:${MASTER_KEY}`,
      MASTER_KEY_CURRENT: "1",
    });

    try {
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, 200, 30_000);
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, 200, 1_000);
    } catch (err) {
      running.child.kill("SIGKILL");
      throw new Error(`${(err as Error).message}\n--- output ---\n${running.output()}`, {
        cause: err,
      });
    }

    running.child.kill("SIGTERM");
    const exit = await waitForExit(running, 10_000);

    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
    const output = running.output();
    const lines = parseLogLines(output);
    expect(lines.some((line) => line.msg === "service started")).toBe(true);
    expect(lines.some((line) => line.msg === "configuration loaded")).toBe(true);
    expect(lines.at(-1)?.msg).toBe("shutdown finished");
    for (const secret of [CONSOLE_PASSWORD, DB_PASSWORD, SESSION_SECRET, MASTER_KEY]) {
      expect(output).not.toContain(secret);
    }
  });
});

describe("bad configuration", () => {
  it("exits 1 with a message naming the variable and hiding the secret", async () => {
    const running = startProcess([join(ROOT, "apps", "console", "dist", "main.js")], {
      CONSOLE_PASSWORD: "short-pw",
      REDIS_URL: "not a url",
    });

    const exit = await waitForExit(running, 10_000);

    expect(exit.code).toBe(1);
    const output = running.output();
    const [line] = parseLogLines(output);
    expect(line).toMatchObject({ msg: "invalid configuration, exiting", service: "console" });
    expect(JSON.stringify(line?.problems)).toContain("CONSOLE_PASSWORD");
    expect(JSON.stringify(line?.problems)).toContain("REDIS_URL");
    expect(output).not.toContain("short-pw");
  });
});
