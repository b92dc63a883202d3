/**
 * The loose shape of a rendered Kubernetes object, and the accessors the renderer and the tests
 * share. Typed views of the objects (kubernetes-models interfaces) are used once an object has
 * passed schema validation.
 */
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";

import type { TJsonObject } from "../kustomize/strategic-merge.js";

export type TK8sObject = TJsonObject & {
  apiVersion: string;
  kind: string;
  metadata: TJsonObject & { name: string; namespace?: string };
};

/** "apps/v1" → "apps"; "v1" → "" (the core group). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
}

export function idOf(object: TK8sObject): string {
  const group = groupOf(object.apiVersion);
  const namespace = object.metadata.namespace ?? "~";

  return `${group === "" ? "core" : group}/${object.kind}/${namespace}/${object.metadata.name}`;
}

export function isK8sObject(value: unknown): value is TK8sObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  const metadata = candidate.metadata as Record<string, unknown> | undefined;

  return (
    typeof candidate.apiVersion === "string" &&
    typeof candidate.kind === "string" &&
    typeof metadata === "object" &&
    metadata !== null &&
    typeof metadata.name === "string"
  );
}

/** The pod spec inside a workload object, or undefined for objects that run no pods. */
export function podSpecOf(object: TK8sObject): IPodSpec | undefined {
  const spec = object.spec as TJsonObject | undefined;
  switch (object.kind) {
    case "Pod":
      return spec as IPodSpec | undefined;
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      return (spec?.template as TJsonObject | undefined)?.spec as IPodSpec | undefined;
    case "CronJob": {
      const jobSpec = (spec?.jobTemplate as TJsonObject | undefined)?.spec as TJsonObject;

      return (jobSpec?.template as TJsonObject | undefined)?.spec as IPodSpec | undefined;
    }
    default:
      return undefined;
  }
}

/** Init containers first, then the main ones: the order the kubelet starts them in. */
export function containersOf(object: TK8sObject): { container: IContainer; init: boolean }[] {
  const pod = podSpecOf(object);
  if (pod === undefined) return [];

  return [
    ...(pod.initContainers ?? []).map((container) => ({ container, init: true })),
    ...pod.containers.map((container) => ({ container, init: false })),
  ];
}
