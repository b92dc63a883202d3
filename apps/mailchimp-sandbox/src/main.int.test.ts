/**
 * The service entry point as a process: starts on the configured port with the sandbox-mode
 * account, answers health and API calls, stops cleanly on SIGTERM, and refuses bad configuration
 * with exit code 1.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

import axios from "axios";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

function start(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ["--import", "tsx", "--conditions=source", "src/main.ts"], {
    cwd: packageDir,
    env: { ...process.env, LOG_LEVEL: "info", HTTP_HOST: "127.0.0.1", ...env },
  });
}

async function listeningPort(child: ChildProcessWithoutNullStreams): Promise<number> {
  let output = "";
  for await (const chunk of child.stdout) {
    output += String(chunk);
    for (const line of output.split("\n")) {
      if (!line.includes("mailchimp sandbox listening")) continue;
      return (JSON.parse(line) as { port: number }).port;
    }
  }
  throw new Error(`the service exited before listening: ${output}`);
}

describe("src/main.ts", () => {
  it("serves the sandbox-mode account and exits 0 on SIGTERM", async () => {
    const child = start({ HTTP_PORT: "0", MAILCHIMP_SANDBOX_LATENCY_MS: "0" });
    const port = await listeningPort(child);
    const base = `http://127.0.0.1:${port}`;

    const health = await axios.get(`${base}/healthz`);
    const ping = await axios.get(`${base}/us21/3.0/ping`, {
      auth: { username: "sandbox", password: "00000000000000000000000000000000-us21" },
    });
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];

    expect(health.data).toEqual({ status: "ok" });
    expect(ping.data).toEqual({ health_status: "Everything's Chimpy!" });
    expect(code).toBe(0);
  });

  it("exits 1 and names the variable when the configuration is wrong", async () => {
    const child = start({ HTTP_PORT: "not-a-port" });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    const [code] = (await once(child, "exit")) as [number | null];

    expect(code).toBe(1);
    expect(stderr).toContain("HTTP_PORT");
  });
});
