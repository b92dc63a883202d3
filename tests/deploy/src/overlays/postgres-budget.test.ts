/**
 * The Postgres connections the production overlay can hold at worst — every Deployment at its
 * maximum replicas plus its surge pod during a rollout, each with a full pool — fit the server
 * deploy/README.md asks for (Postgres' default max_connections, 100, less the 3 reserved for
 * superusers). Raising replicas or pools means raising that requirement in the README too.
 */
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { describe, expect, it } from "vitest";

import type { TK8sObject } from "../manifests/k8s-object.js";
import {
  environmentOf,
  mainContainer,
  ofKind,
  plainValueOf,
} from "../manifests/manifest-queries.js";
import { rendered } from "./rendered-overlays.js";

/** packages/runtime/src/env.ts */
const DEFAULT_POOL = 10;
/** The migration Job and the init-container gates: one short connection each in practice. */
const MIGRATION_ALLOWANCE = 10;
/** What deploy/README.md ("Postgres") documents as the worst case and requires. */
const DOCUMENTED_WORST_CASE = 95;
const DEFAULT_MAX_CONNECTIONS = 100 - 3;

function maxReplicasOf(deployment: TK8sObject, objects: TK8sObject[]): number {
  const name = deployment.metadata.name;
  const hpa = (
    ofKind(objects, "HorizontalPodAutoscaler") as unknown as IHorizontalPodAutoscaler[]
  ).find((candidate) => candidate.spec?.scaleTargetRef.name === name);
  const keda = ofKind(objects, "ScaledObject").find(
    (candidate) =>
      (candidate.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name === name,
  );

  return (
    hpa?.spec?.maxReplicas ??
    (keda?.spec as { maxReplicaCount?: number } | undefined)?.maxReplicaCount ??
    (deployment as unknown as IDeployment).spec?.replicas ??
    1
  );
}

function surgeOf(deployment: TK8sObject, replicas: number): number {
  const surge =
    (deployment as unknown as IDeployment).spec?.strategy?.rollingUpdate?.maxSurge ?? "25%";

  return typeof surge === "number"
    ? surge
    : Math.ceil((replicas * Number.parseInt(surge, 10)) / 100);
}

function worstCaseConnections(objects: TK8sObject[]): number {
  let total = MIGRATION_ALLOWANCE;
  for (const deployment of ofKind(objects, "Deployment")) {
    const container = mainContainer(deployment);
    if (!environmentOf(container, objects).has("DATABASE_URL")) continue;
    const pool = Number(plainValueOf(container, objects, "DATABASE_POOL_MAX") ?? DEFAULT_POOL);
    const replicas = maxReplicasOf(deployment, objects);
    total += (replicas + surgeOf(deployment, replicas)) * pool;
  }

  return total;
}

describe("Postgres connection budget", () => {
  it("holds at most the documented number of connections in production, with or without KEDA", () => {
    expect(worstCaseConnections(rendered("production"))).toBe(DOCUMENTED_WORST_CASE);
    expect(worstCaseConnections(rendered("production-keda"))).toBe(DOCUMENTED_WORST_CASE);
    expect(DOCUMENTED_WORST_CASE).toBeLessThanOrEqual(DEFAULT_MAX_CONNECTIONS);
  });
});
