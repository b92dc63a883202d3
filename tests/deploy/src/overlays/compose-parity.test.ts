/**
 * docker-compose.yml and the Kubernetes overlays describe the same system: the same services, the
 * same ports and probes, the same variables. Variables are compared on what each service reads
 * (its env.ts schema, plus the vault's master-key variables for the services that open the
 * vault), so compose's shared block of variables a simulator ignores does not count, and a name
 * set in Kubernetes that no service reads (a typo) fails. The few deliberate differences are
 * listed below with their reasons, and the list is checked for stale entries.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

import { ZCommonEnv } from "@ml-connector/runtime";
import { ZMasterKeyEnv } from "@ml-connector/vault";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

import { podSpecOf } from "../manifests/k8s-object.js";
import {
  appNames,
  environmentOf,
  isSandbox,
  mainContainer,
  matchesSelector,
  named,
  ofKind,
  podLabelsOf,
  ROOT,
  type TOverlay,
} from "../manifests/manifest-queries.js";
import { rendered } from "./rendered-overlays.js";

type TComposeService = {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: unknown[];
  healthcheck?: { test: string[] };
  build?: { target?: string; args?: Record<string, string> };
};

/** Set in Kubernetes, not in compose, on purpose. */
const KUBERNETES_ONLY: Record<string, string> = {
  SHUTDOWN_TIMEOUT_MS: "set beside terminationGracePeriodSeconds, which must exceed it",
  DATABASE_POOL_MAX: "Postgres connections are budgeted as pool × replicas (deploy/README.md)",
  CONSOLE_SESSION_SECRET: "two console replicas must sign session cookies alike",
  CONSOLE_SECURE_COOKIES: "the console is served over HTTPS behind the Ingress",
  CONSOLE_PUBLIC_URL: "the Mailchimp OAuth redirect must use the Ingress host",
  MAILCHIMP_OAUTH_CLIENT_ID: "the optional Mailchimp OAuth app, from a Secret",
  MAILCHIMP_OAUTH_CLIENT_SECRET: "the optional Mailchimp OAuth app, from a Secret",
  MAILCHIMP_SANDBOX_PUBLIC_URL: "clients reach the simulator by its Service name, not localhost",
};

/**
 * Compose passes the master keys as values (MASTER_KEYS, MASTER_KEY_CURRENT); Kubernetes mounts
 * them from a Secret and points MASTER_KEY_FILE at it, the `current` version being a file too
 * (packages/vault/README.md).
 */
const KUBERNETES_NAME: Record<string, string> = {
  MASTER_KEYS: "MASTER_KEY_FILE",
  MASTER_KEY_CURRENT: "MASTER_KEY_FILE",
};

function resolvedCompose(): Record<string, TComposeService> {
  const result = spawnSync("docker-compose", ["config"], { cwd: ROOT, encoding: "utf8" });
  if (result.error)
    throw new Error("docker-compose is not installed (Debian package docker-compose)");
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);

  return (parse(result.stdout) as { services: Record<string, TComposeService> }).services;
}

/** The variables a service reads: its env.ts schema, and the vault's if it is a full service. */
async function variablesReadBy(app: string): Promise<Set<string>> {
  const path = join(ROOT, "apps", app, "src", "env.ts");
  const { ZEnv } = (await import(path)) as { ZEnv: { shape: Record<string, unknown> } };
  const names = new Set(Object.keys(ZEnv.shape));
  const isService = Object.keys(ZCommonEnv.shape).every((name) => names.has(name));
  if (isService) for (const name of Object.keys(ZMasterKeyEnv.shape)) names.add(name);

  return names;
}

let compose: Record<string, TComposeService>;
const readBy = new Map<string, Set<string>>();

beforeAll(async () => {
  compose = resolvedCompose();
  for (const app of appNames()) readBy.set(app, await variablesReadBy(app));
});

const kubernetesOnlyUsed = new Set<string>();

describe.each(["dev", "production"] as TOverlay[])("compose and overlay %s", (overlay) => {
  const objects = rendered(overlay);
  const deploymentOf = (app: string) => named(objects, "Deployment", app);
  const inOverlay = (app: string) => overlay === "dev" || !isSandbox(app);

  it("run the same services: every app built by compose is a Deployment (simulators in dev only)", () => {
    const built = Object.entries(compose)
      .filter(([, service]) => service.build?.target === "app")
      .map(([name]) => name);
    const apps = ofKind(objects, "Deployment")
      .map((deployment) => deployment.metadata.name)
      .filter((name) => appNames().includes(name));

    expect(built.sort()).toEqual(appNames().sort());
    expect(apps.sort()).toEqual(built.filter(inOverlay).sort());
  });

  it("run the same migration step from the same image target", () => {
    const job = podSpecOf(ofKind(objects, "Job")[0]!)!.containers[0]!;

    expect(compose.migrate?.build?.target).toBe("migrate");
    expect(job.image).toMatch(/ml-connector\/migrate(:|$)/);
  });

  it("serve on the same ports with the same readiness check", () => {
    for (const app of appNames().filter(inOverlay)) {
      const service = compose[app]!;
      const container = mainContainer(deploymentOf(app)!);
      const port = environmentOf(container, objects).get("HTTP_PORT");

      expect(port, app).toEqual({ from: "value", value: service.environment?.HTTP_PORT });
      expect(container.ports?.[0]?.containerPort, app).toBe(Number(service.environment?.HTTP_PORT));
      expect(service.healthcheck?.test.join(" "), app).toContain("/readyz");
      expect(container.readinessProbe?.httpGet?.path, app).toBe("/readyz");
    }
  });

  it("publish the same services: compose's published ports are Kubernetes Services", () => {
    const published = appNames().filter(
      (app) => inOverlay(app) && (compose[app]?.ports ?? []).length > 0,
    );
    const withService = appNames().filter((app) => {
      const deployment = deploymentOf(app);
      if (deployment === undefined) return false;

      return ofKind(objects, "Service").some((service) =>
        matchesSelector(podLabelsOf(deployment), {
          matchLabels: (service.spec as { selector: Record<string, string> }).selector,
        }),
      );
    });

    expect(withService.sort()).toEqual(published.sort());
  });

  it("set the same variables, apart from the listed Kubernetes-only ones", () => {
    for (const app of appNames().filter(inOverlay)) {
      const reads = readBy.get(app)!;
      const kubernetes = new Set(environmentOf(mainContainer(deploymentOf(app)!), objects).keys());
      const fromCompose = new Set(
        Object.keys(compose[app]?.environment ?? {})
          .filter((name) => reads.has(name))
          .map((name) => KUBERNETES_NAME[name] ?? name),
      );

      for (const name of kubernetes) expect(reads.has(name), `${app} reads ${name}`).toBe(true);
      for (const name of fromCompose) expect(kubernetes.has(name), `${app}: ${name}`).toBe(true);
      for (const name of kubernetes) {
        if (fromCompose.has(name)) continue;
        expect(Object.keys(KUBERNETES_ONLY), `${app}: ${name} only in Kubernetes`).toContain(name);
        kubernetesOnlyUsed.add(name);
      }
    }
  });

  it("run Redis with AOF and noeviction, and the same Postgres, where the overlay runs them", () => {
    const redis = deploymentOf("redis");
    const postgres = deploymentOf("postgres");
    if (overlay !== "dev") {
      // Production uses managed Redis and Postgres (deploy/README.md).
      expect([redis, postgres]).toEqual([undefined, undefined]);
      return;
    }
    const redisContainer = mainContainer(redis!);
    const postgresContainer = mainContainer(postgres!);

    expect(redisContainer.image).toBe(compose.redis?.image);
    expect(redisContainer.command).toEqual(compose.redis?.command);
    expect(postgresContainer.image).toBe(compose.postgres?.image);
    expect([...environmentOf(postgresContainer, objects).keys()]).toEqual(
      expect.arrayContaining(Object.keys(compose.postgres?.environment ?? {})),
    );
  });
});

describe("the list of deliberate differences", () => {
  it("has no stale entry: every Kubernetes-only variable is set somewhere", () => {
    expect([...kubernetesOnlyUsed].sort()).toEqual(Object.keys(KUBERNETES_ONLY).sort());
  });
});
