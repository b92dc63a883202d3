import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { ROOT } from "./process-harness.js";

type TComposeService = {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  build?: { target?: string; args?: Record<string, string> };
};

/** The compose file as docker-compose itself resolves it (anchors and variables expanded). */
function resolvedCompose(): { services: Record<string, TComposeService> } {
  const result = spawnSync("docker-compose", ["config"], { cwd: ROOT, encoding: "utf8" });
  if (result.error) {
    throw new Error("docker-compose is not installed (Debian package docker-compose)");
  }
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);

  return parse(result.stdout) as { services: Record<string, TComposeService> };
}

/** Every deployable app: a folder under apps/ whose package runs a service (`start`). */
function appNames(): string[] {
  return readdirSync(join(ROOT, "apps")).filter((name) => {
    const manifest = join(ROOT, "apps", name, "package.json");
    if (!existsSync(manifest)) return false;
    const scripts = (JSON.parse(readFileSync(manifest, "utf8")) as { scripts?: object }).scripts;

    return scripts !== undefined && "start" in scripts;
  });
}

function defaultPortOf(app: string): number | undefined {
  const source = readFileSync(join(ROOT, "apps", app, "src", "env.ts"), "utf8");
  const match = /HTTP_PORT:[^\n]*\n?[^\n]*\.default\((\d[\d_]*)\)/.exec(source);

  return match?.[1] === undefined ? undefined : Number(match[1].replaceAll("_", ""));
}

describe("docker-compose.yml", () => {
  const compose = resolvedCompose();

  it("validates with docker-compose config", () => {
    const result = spawnSync("docker-compose", ["config", "-q"], { cwd: ROOT, encoding: "utf8" });

    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("runs Redis with AOF persistence and no eviction", () => {
    const command = compose.services.redis?.command?.join(" ") ?? "";

    expect(command).toContain("--appendonly yes");
    expect(command).toContain("--maxmemory-policy noeviction");
  });

  it("has a service for every app, each built from its own pruned image", () => {
    for (const app of appNames()) {
      const service = compose.services[app];
      expect(service, `compose service for apps/${app}`).toBeDefined();
      expect(service?.build?.args?.APP).toBe(app);
      expect(service?.build?.target).toBe("app");
    }
  });

  it("gives every app a readiness health check on the port its env.ts defaults to", () => {
    for (const app of appNames()) {
      const service = compose.services[app]!;
      expect(service.healthcheck?.test.join(" ")).toContain("/readyz");
      const port = defaultPortOf(app);
      expect(port, `default HTTP_PORT in apps/${app}/src/env.ts`).toBeDefined();
      expect(service.environment?.HTTP_PORT).toBe(String(port));
    }
  });

  it("starts services only after Redis, Postgres and the migration step", () => {
    expect(compose.services.migrate?.depends_on?.postgres?.condition).toBe("service_healthy");
    for (const app of appNames().filter((name) => !name.endsWith("-sandbox"))) {
      const dependsOn = compose.services[app]!.depends_on;
      expect(dependsOn?.redis?.condition).toBe("service_healthy");
      expect(dependsOn?.postgres?.condition).toBe("service_healthy");
      expect(dependsOn?.migrate?.condition).toBe("service_completed_successfully");
    }
  });
});
