/**
 * The migration ordering, run for real: the init container's command (taken from the rendered
 * production overlay) against an empty database on the machine's Postgres keeps waiting; the
 * migration Job's command applies the migrations; the waiting init container then lets the pod
 * go on. The image's /repo is this workspace (the Dockerfile's migrate stage copies it there).
 */
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";

import type { IContainer } from "kubernetes-models/v1/Container";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { podSpecOf } from "../manifests/k8s-object.js";
import { named, ofKind, ROOT } from "../manifests/manifest-queries.js";
import { createScratchDatabase, type TScratchDatabase } from "../testing/scratch-database.js";
import { rendered } from "./rendered-overlays.js";

const objects = rendered("production");
const gate = podSpecOf(named(objects, "Deployment", "mailchimp-writer")!)!.initContainers![0]!;
const job = podSpecOf(ofKind(objects, "Job")[0]!)!.containers[0]!;

/** The container's working directory inside the image, mapped onto this workspace. */
function hostDirectory(container: IContainer): string {
  expect(container.workingDir).toMatch(/^\/repo\//);

  return join(ROOT, container.workingDir!.slice("/repo/".length));
}

function environment(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: "/tmp",
    CHECKPOINT_DISABLE: "1",
    DATABASE_URL: databaseUrl,
  };
}

let database: TScratchDatabase;

beforeAll(async () => {
  database = await createScratchDatabase("mlc_deploy_gate");
});

afterAll(async () => {
  await database?.drop();
  // The gate keeps its last status in the pod's /tmp; here that is the machine's.
  rmSync("/tmp/migrate-status.log", { force: true });
});

describe("the migration gate on a real Postgres", () => {
  it("holds the pod while migrations are pending and releases it once the Job has run", async () => {
    const [command, ...args] = gate.args!;
    const waiting = spawn(command!, args, {
      cwd: hostDirectory(gate),
      env: environment(database.url),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    waiting.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => waiting.on("exit", resolve));

    // Long enough for `prisma migrate status` to answer at least once (about 1.5 s here).
    const early = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r("still waiting"), 8_000)),
    ]);
    expect(early).toBe("still waiting");
    expect(output).toContain("waiting for job mlc-migrate");
    expect(output).toMatch(/migration|not yet been applied/i);

    const [jobCommand, ...jobArgs] = job.args!;
    const migration = spawnSync(jobCommand!, jobArgs, {
      cwd: hostDirectory(job),
      env: environment(database.url),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(migration.status, migration.stderr).toBe(0);
    expect(migration.stdout).toMatch(/successfully applied|No pending migrations/);

    // The gate polls every 5 s.
    const code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r("timeout"), 20_000)),
    ]);
    if (code === "timeout") waiting.kill("SIGKILL");
    expect(code).toBe(0);
  });

  it("lets a pod through at once when the schema is already current (a restart or a scale-up)", () => {
    const [command, ...args] = gate.args!;
    const result = spawnSync(command!, args, {
      cwd: hostDirectory(gate),
      env: environment(database.url),
      encoding: "utf8",
      timeout: 30_000,
    });

    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain("waiting for job");
  });
});
