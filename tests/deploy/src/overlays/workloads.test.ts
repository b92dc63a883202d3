/**
 * Invariants of every pod the overlays run: which apps run where, probes, resources, security
 * contexts, shutdown grace and disruption budgets, autoscaling and images.
 */
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { describe, expect, it } from "vitest";

import { containersOf, podSpecOf, type TK8sObject } from "../manifests/k8s-object.js";
import {
  appNames,
  isSandbox,
  mainContainer,
  matchesSelector,
  ofKind,
  OVERLAYS,
  plainValueOf,
  podLabelsOf,
  portNumberOf,
} from "../manifests/manifest-queries.js";
import { rendered } from "./rendered-overlays.js";

/** The services' default shutdown bound (packages/runtime/src/env.ts) and its fixed extra 1.5 s. */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 8_000;
const SHUTDOWN_EXTRA_MS = 1_500;

const services = appNames().filter((app) => !isSandbox(app));
const sandboxes = appNames().filter(isSandbox);

const isOurs = (image: string | undefined) => /(^|\/)ml-connector\//.test(image ?? "");
const workloads = (objects: TK8sObject[]) =>
  objects.filter((object) => podSpecOf(object) !== undefined);

function preStopSleepSeconds(deployment: TK8sObject): number {
  const command = mainContainer(deployment).lifecycle?.preStop?.exec?.command ?? [];

  return command[0] === "sleep" ? Number(command[1]) : 0;
}

describe.each(OVERLAYS)("overlay %s: workloads", (overlay) => {
  const objects = rendered(overlay);
  const deployments = ofKind(objects, "Deployment");

  it("runs every service as its own Deployment, and the simulators only in dev", () => {
    const names = deployments.map((deployment) => deployment.metadata.name);

    expect(services.length).toBeGreaterThanOrEqual(5);
    for (const app of services) expect(names).toContain(app);
    for (const app of sandboxes) {
      if (overlay === "dev") expect(names).toContain(app);
      else expect(names).not.toContain(app);
    }
  });

  it("sets requests and memory limits on every container", () => {
    for (const workload of workloads(objects)) {
      for (const { container } of containersOf(workload)) {
        const where = `${workload.metadata.name}/${container.name}`;
        expect(container.resources?.requests?.cpu, where).toBeDefined();
        expect(container.resources?.requests?.memory, where).toBeDefined();
        expect(container.resources?.limits?.memory, where).toBeDefined();
      }
    }
  });

  it("runs every container non-root, read-only, without privileges, capabilities or escalation", () => {
    for (const workload of workloads(objects)) {
      const pod = podSpecOf(workload)!;
      expect(pod.automountServiceAccountToken, workload.metadata.name).toBe(false);
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
      expect(pod.securityContext?.runAsUser ?? 1, workload.metadata.name).not.toBe(0);
      for (const { container } of containersOf(workload)) {
        const where = `${workload.metadata.name}/${container.name}`;
        const context = container.securityContext;
        expect(context?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, where).toBe(true);
        expect(context?.runAsUser ?? 1, where).not.toBe(0);
        expect(context?.allowPrivilegeEscalation, where).toBe(false);
        expect(context?.privileged ?? false, where).toBe(false);
        expect(context?.readOnlyRootFilesystem, where).toBe(true);
        expect(context?.capabilities?.drop, where).toContain("ALL");
        expect(context?.capabilities?.add ?? [], where).toEqual([]);
        const seccomp = context?.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
        expect(seccomp, where).toBe("RuntimeDefault");
      }
    }
  });

  it("probes every container of every Deployment; ours on /healthz and /readyz at HTTP_PORT", () => {
    for (const deployment of deployments) {
      for (const { container, init } of containersOf(deployment)) {
        if (init) continue;
        const where = `${deployment.metadata.name}/${container.name}`;
        expect(container.livenessProbe, where).toBeDefined();
        expect(container.readinessProbe, where).toBeDefined();
        if (!isOurs(container.image)) continue;

        const httpPort = Number(plainValueOf(container, objects, "HTTP_PORT"));
        expect(httpPort, `${where} HTTP_PORT`).toBeGreaterThan(0);
        expect(container.ports?.map((port) => port.containerPort)).toEqual([httpPort]);
        const liveness = container.livenessProbe?.httpGet;
        const readiness = container.readinessProbe?.httpGet;
        expect(liveness?.path, where).toBe("/healthz");
        expect(readiness?.path, where).toBe("/readyz");
        expect(portNumberOf(container, liveness?.port), where).toBe(httpPort);
        expect(portNumberOf(container, readiness?.port), where).toBe(httpPort);
      }
    }
  });

  it("gives every pod more grace than preStop + SHUTDOWN_TIMEOUT_MS + 1.5 s", () => {
    for (const deployment of deployments) {
      const container = mainContainer(deployment);
      if (!isOurs(container.image)) continue;
      const timeout = plainValueOf(container, objects, "SHUTDOWN_TIMEOUT_MS");
      const boundMs =
        preStopSleepSeconds(deployment) * 1_000 +
        Number(timeout ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) +
        SHUTDOWN_EXTRA_MS;
      const graceSeconds = podSpecOf(deployment)?.terminationGracePeriodSeconds ?? 30;

      expect(graceSeconds * 1_000, deployment.metadata.name).toBeGreaterThan(boundMs);
    }
  });

  it("covers every Deployment with exactly one PodDisruptionBudget that still lets a drain evict", () => {
    const budgets = ofKind(objects, "PodDisruptionBudget") as unknown as IPodDisruptionBudget[];
    const autoscalers = ofKind(
      objects,
      "HorizontalPodAutoscaler",
    ) as unknown as IHorizontalPodAutoscaler[];
    for (const deployment of deployments as unknown as IDeployment[]) {
      const name = deployment.metadata!.name!;
      const labels = podLabelsOf(deployment as unknown as TK8sObject);
      const covering = budgets.filter((budget) => matchesSelector(labels, budget.spec!.selector!));
      expect(
        covering.map((budget) => budget.metadata?.name),
        name,
      ).toHaveLength(1);

      const budget = covering[0]!.spec!;
      const autoscaler = autoscalers.find((hpa) => hpa.spec?.scaleTargetRef.name === name);
      const fewestReplicas = autoscaler?.spec?.minReplicas ?? deployment.spec?.replicas ?? 1;
      if (budget.maxUnavailable !== undefined) {
        expect(Number(budget.maxUnavailable), name).toBeGreaterThanOrEqual(1);
      } else {
        expect(Number(budget.minAvailable), name).toBeLessThan(fewestReplicas);
      }
    }
  });

  it("autoscales the workers (CPU or KEDA, never both) and leaves their replica count alone", () => {
    const hpaTargets = ofKind(objects, "HorizontalPodAutoscaler").map(
      (hpa) => (hpa as unknown as IHorizontalPodAutoscaler).spec!.scaleTargetRef.name,
    );
    const kedaTargets = ofKind(objects, "ScaledObject").map(
      (scaled) => (scaled.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name,
    );
    const expected = ["mailchimp-writer", "plex-writeback"];

    if (overlay === "production-keda") {
      expect(kedaTargets.sort()).toEqual(expected);
      expect(hpaTargets).toEqual([]);
    } else {
      expect(hpaTargets.sort()).toEqual(expected);
      expect(kedaTargets).toEqual([]);
    }
    for (const target of [...hpaTargets, ...kedaTargets]) {
      const deployment = deployments.find((candidate) => candidate.metadata.name === target);
      expect(deployment, target).toBeDefined();
      // An autoscaled Deployment that sets replicas is scaled back on every `kubectl apply`.
      expect((deployment?.spec as { replicas?: number }).replicas, target).toBeUndefined();
    }
  });

  it("keeps the poller at one or two replicas, without an autoscaler", () => {
    const poller = deployments.find((deployment) => deployment.metadata.name === "plex-poller");
    const replicas = (poller?.spec as { replicas?: number }).replicas;

    expect(replicas).toBeGreaterThanOrEqual(1);
    expect(replicas).toBeLessThanOrEqual(2);
    const scaling = [
      ...ofKind(objects, "HorizontalPodAutoscaler"),
      ...ofKind(objects, "ScaledObject"),
    ];
    expect(scaling.map((object) => object.metadata.name)).not.toContain("plex-poller");
  });
});

describe("images", () => {
  it("pins every production image of ours to one registry and one release tag", () => {
    for (const overlay of ["production", "production-keda"] as const) {
      const images = workloads(rendered(overlay)).flatMap((workload) =>
        containersOf(workload).map(({ container }) => container.image ?? ""),
      );
      const tags = new Set(images.map((image) => image.split(":").at(-1)));

      expect(images.every((image) => image.startsWith("registry.example.com/ml-connector/"))).toBe(
        true,
      );
      expect(tags.size).toBe(1);
      expect([...tags][0]).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});
