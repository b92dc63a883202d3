/**
 * Starts built services as real child processes and collects their output, so tests see exactly
 * what an operator would: log lines on stdout, exit codes, HTTP answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export type TRunningProcess = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string = ROOT,
): TRunningProcess {
  const [entry] = args;
  if (entry !== undefined && entry.endsWith(".js") && !existsSync(entry)) {
    throw new Error(`${entry} does not exist: build the workspace first`);
  }
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });

  return { child, output: () => chunks.join(""), exited };
}

export async function waitForHttp(url: string, status: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === status) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

export async function waitForExit(
  running: TRunningProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      running.child.kill("SIGKILL");
      reject(new Error(`process did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const result = await Promise.race([running.exited, timeout]);

    return { ...result, ms: Date.now() - startedAt };
  } finally {
    clearTimeout(timer);
  }
}

/** Every non-empty line must be a JSON log entry; returns them parsed. */
export function parseLogLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
