/**
 * readOnlyRootFilesystem holds: every service of the production overlay starts, becomes ready and
 * shuts down cleanly with the root filesystem read-only, as an unprivileged user, with the
 * environment its Deployment gives it (secrets replaced by test values) — and without a writable
 * /tmp, so the pods' /tmp emptyDir is a safety margin, not a need. Each service runs from the
 * layout its image has: the Dockerfile's `pnpm deploy --prod --legacy /app` output, started with
 * the image's CMD. The migration CLI is run the same way (its gate with a tmpfs /tmp, like its
 * emptyDir). Docker itself cannot run here; the steps before `pnpm deploy` are not exercised.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { execForm } from "../manifests/dockerfile.reader.js";
import { podSpecOf } from "../manifests/k8s-object.js";
import {
  appNames,
  environmentOf,
  isSandbox,
  mainContainer,
  named,
  ofKind,
  ROOT,
} from "../manifests/manifest-queries.js";
import { canIsolate, runIsolated, spawnIsolated } from "../testing/read-only-root.js";
import { createScratchDatabase, type TScratchDatabase } from "../testing/scratch-database.js";
import { rendered } from "./rendered-overlays.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const QUEUE_PREFIX = `mlc-deploy-ro-${randomBytes(3).toString("hex")}`;
const objects = rendered("production");
const services = appNames().filter((app) => !isSandbox(app));
const isolated = canIsolate();

/** Test stand-ins for the Secrets' values (never real ones). */
function secretValue(name: string, databaseUrl: string): string | undefined {
  const values: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    CONSOLE_PASSWORD: "read-only-test-password",
    CONSOLE_SESSION_SECRET: randomBytes(32).toString("base64url"),
  };

  return values[name];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** The Deployment's environment with secrets, port, key path and queue prefix made local. */
function environmentFor(app: string, databaseUrl: string, port: number, keyDir: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, source] of environmentOf(
    mainContainer(named(objects, "Deployment", app)!),
    objects,
  )) {
    if (source.from === "value" || source.from === "configMap") env[name] = source.value;
    if (source.from === "secret") {
      const value = secretValue(name, databaseUrl);
      if (value === undefined && !source.optional) throw new Error(`no test value for ${name}`);
      if (value !== undefined) env[name] = value;
    }
  }

  return { ...env, HTTP_PORT: String(port), MASTER_KEY_FILE: keyDir, QUEUE_PREFIX };
}

async function waitForReady(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return false;
}

let database: TScratchDatabase;
let keyDir: string;
let imageRoot: string;

/** The image's CMD (Dockerfile, app target), run from the deployed app as its WORKDIR /app. */
const IMAGE_CMD = execForm("app", "CMD");

/** What the builder stage puts in /app for one service. */
function deployService(app: string): string {
  const target = join(imageRoot, app);
  const result = spawnSync(
    "pnpm",
    ["--filter", `@ml-connector/${app}`, "deploy", "--prod", "--legacy", target],
    { cwd: ROOT, encoding: "utf8", timeout: 180_000 },
  );
  if (result.status !== 0) throw new Error(`pnpm deploy ${app} failed:\n${result.stderr}`);

  return target;
}

beforeAll(async () => {
  if (!isolated) return;
  database = await createScratchDatabase("mlc_deploy_ro");
  // The Secret mounted as files, one per version plus `current` (packages/vault/README.md).
  keyDir = mkdtempSync(join(tmpdir(), "mlc-deploy-keys-"));
  writeFileSync(join(keyDir, "v1"), randomBytes(32).toString("base64"));
  writeFileSync(join(keyDir, "current"), "1");
  for (const file of ["v1", "current"]) chmodSync(join(keyDir, file), 0o444);
  chmodSync(keyDir, 0o555);
  imageRoot = mkdtempSync(join(tmpdir(), "mlc-deploy-images-"));
  // mkdtemp makes it 0700; the unprivileged user must be able to reach the apps inside.
  chmodSync(imageRoot, 0o755);
  for (const app of services) deployService(app);
}, 600_000);

afterAll(async () => {
  if (!isolated) return;
  await database?.drop();
  if (keyDir !== undefined) rmSync(keyDir, { recursive: true, force: true });
  if (imageRoot !== undefined) rmSync(imageRoot, { recursive: true, force: true });
  const keys = spawnSync(
    "redis-cli",
    ["-u", REDIS_URL, "--scan", "--pattern", `${QUEUE_PREFIX}:*`],
    {
      encoding: "utf8",
    },
  );
  const names = (keys.stdout ?? "").split("\n").filter(Boolean);
  if (names.length > 0) spawnSync("redis-cli", ["-u", REDIS_URL, "del", ...names]);
});

describe.skipIf(!isolated)("a read-only root filesystem (needs root for a mount namespace)", () => {
  it("really is read-only for the process, /tmp included", () => {
    const script = "require('fs').writeFileSync('/tmp/mlc-deploy-ro-probe', 'x')";
    const result = runIsolated([process.execPath, "-e", script], { env: {} });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/EROFS|read-only file system/i);
  });

  it("runs the migration Job and the migration gate", () => {
    const job = podSpecOf(ofKind(objects, "Job")[0]!)!.containers[0]!;
    const gate = podSpecOf(named(objects, "Deployment", "console")!)!.initContainers![0]!;
    const cwd = join(ROOT, job.workingDir!.slice("/repo/".length));
    const env = { DATABASE_URL: database.url, CHECKPOINT_DISABLE: "1", HOME: "/nonexistent" };

    const migration = runIsolated(job.args!, { cwd, env });
    expect(migration.status, migration.stderr).toBe(0);
    const gateRun = runIsolated(gate.args!, { cwd, env, withTmp: true });
    expect(gateRun.status, gateRun.stdout + gateRun.stderr).toBe(0);
  });

  it("starts every service, answers /readyz, and shuts down cleanly on SIGTERM", async () => {
    const running = await Promise.all(
      services.map(async (app) => {
        const port = await freePort();
        const [node, ...args] = IMAGE_CMD;
        const child = spawnIsolated([node === "node" ? process.execPath : node!, ...args], {
          cwd: join(imageRoot, app),
          env: environmentFor(app, database.url, port, keyDir),
        });
        let output = "";
        child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
        const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));

        return { app, port, child, exited, output: () => output };
      }),
    );

    try {
      for (const service of running) {
        const ready = await waitForReady(service.port, 60_000);
        expect(ready, `${service.app} never ready:\n${service.output()}`).toBe(true);
      }
      for (const service of running) service.child.kill("SIGTERM");
      for (const service of running) {
        expect(await service.exited, `${service.app}:\n${service.output()}`).toBe(0);
        expect(service.output()).toContain("shutdown finished");
        expect(service.output()).not.toMatch(/EROFS|read-only file system/i);
      }
    } finally {
      for (const service of running)
        if (service.child.exitCode === null) service.child.kill("SIGKILL");
    }
  });

  it("runs the vault's rotation CLI from the console image, as deploy/README.md tells operators to", async () => {
    const port = await freePort();
    const cli = "node_modules/@ml-connector/vault/dist/cli/rotate-master-key.js";
    const result = runIsolated([process.execPath, cli, "--dry-run"], {
      cwd: join(imageRoot, "console"),
      env: environmentFor("console", database.url, port, keyDir),
    });

    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/EROFS|read-only file system/i);
  });
});
