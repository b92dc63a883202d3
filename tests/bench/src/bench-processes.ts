/**
 * Runs the simulators and the services as separate processes for a benchmark, the way they run
 * in production, and reads each one's peak memory (VmHWM) from /proc before stopping it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** Creates the benchmark database when missing and applies the migrations to it. */
export async function prepareDatabase(databaseUrl: string): Promise<void> {
  const { Client } = (await import("pg")).default;
  const admin = new URL(databaseUrl);
  const name = admin.pathname.slice(1);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', "")}"`);
  await client.end();
  const migrate = spawnSync("pnpm", ["--filter", "@ml-connector/db", "db:migrate"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stderr}`);
}

export type TBenchProcess = { name: string; child: ChildProcess; port: number };

export async function startApp(
  name: string,
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<TBenchProcess> {
  const taken = await fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => true,
    () => false,
  );
  if (taken)
    throw new Error(`port ${port} is already in use: is an earlier benchmark still running?`);
  const child = spawn(process.execPath, [join(ROOT, "apps", name, "dist", "main.js")], {
    env: {
      PATH: process.env.PATH,
      HTTP_PORT: String(port),
      HTTP_HOST: "127.0.0.1",
      LOG_LEVEL: process.env.BENCH_APP_LOGS === "1" ? "info" : "warn",
      ...env,
    },
    stdio: ["ignore", process.env.BENCH_APP_LOGS === "1" ? "inherit" : "ignore", "inherit"],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) {
        const entry = { name, child, port };
        started.push(entry);

        return entry;
      }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not become ready`);
}

/** Peak resident memory of a process so far, in MiB (Linux /proc). */
export function peakRssMiB(processHandle: TBenchProcess): number | undefined {
  try {
    const status = readFileSync(`/proc/${processHandle.child.pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);

    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

const started: TBenchProcess[] = [];

/** Children die with the benchmark, even when it is interrupted. */
function killStarted(): void {
  for (const entry of started) if (entry.child.exitCode === null) entry.child.kill("SIGKILL");
}
process.once("exit", killStarted);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    killStarted();
    process.exit(130);
  });
}

export async function stopAll(processes: TBenchProcess[]): Promise<void> {
  for (const entry of processes) entry.child.kill("SIGTERM");
  await Promise.all(
    processes.map(
      (entry) =>
        new Promise<void>((resolve) => {
          if (entry.child.exitCode !== null) resolve();
          entry.child.once("exit", () => resolve());
          setTimeout(() => {
            entry.child.kill("SIGKILL");
            resolve();
          }, 15_000).unref();
        }),
    ),
  );
}
