/**
 * Questions the tests ask of a rendered overlay: which workloads run which app, what environment
 * a container really gets (env and envFrom resolved against the overlay's ConfigMaps), which
 * port a named port is, which objects a label selector picks.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { IContainer } from "kubernetes-models/v1/Container";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";

import { podSpecOf, type TK8sObject } from "./k8s-object.js";

export type TLabelSelector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
export const DEPLOY = join(ROOT, "deploy");
export const OVERLAYS = ["dev", "production", "production-keda"] as const;
export type TOverlay = (typeof OVERLAYS)[number];

/** Every deployable app: a folder under apps/ whose package runs a service (`start`). */
export function appNames(): string[] {
  return readdirSync(join(ROOT, "apps")).filter((name) => {
    const manifest = join(ROOT, "apps", name, "package.json");
    if (!existsSync(manifest)) return false;
    const scripts = (JSON.parse(readFileSync(manifest, "utf8")) as { scripts?: object }).scripts;

    return scripts !== undefined && "start" in scripts;
  });
}

export const isSandbox = (app: string): boolean => app.endsWith("-sandbox");

export function ofKind(objects: TK8sObject[], kind: string): TK8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function named(objects: TK8sObject[], kind: string, name: string): TK8sObject | undefined {
  return objects.find((object) => object.kind === kind && object.metadata.name === name);
}

/** The container of a Deployment that runs the app itself (named after the Deployment). */
export function mainContainer(deployment: TK8sObject): IContainer {
  const container = podSpecOf(deployment)?.containers.find(
    (candidate) => candidate.name === deployment.metadata.name,
  );
  if (container === undefined) {
    throw new Error(`Deployment ${deployment.metadata.name} has no container of the same name`);
  }

  return container;
}

export type TEnvSource =
  | { from: "value"; value: string }
  | { from: "secret"; name: string; key: string; optional: boolean }
  | { from: "configMap"; name: string; key: string; value: string | undefined }
  | { from: "other" };

/** The container's environment by variable name, envFrom ConfigMaps resolved from the overlay. */
export function environmentOf(
  container: IContainer,
  objects: TK8sObject[],
): Map<string, TEnvSource> {
  const environment = new Map<string, TEnvSource>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef === undefined) throw new Error("only configMapRef envFrom is expected");
    const name = source.configMapRef.name!;
    const configMap = named(objects, "ConfigMap", name) as IConfigMap | undefined;
    if (configMap === undefined) throw new Error(`envFrom names ConfigMap ${name}, not rendered`);
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      environment.set(`${source.prefix ?? ""}${key}`, { from: "configMap", name, key, value });
    }
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    const configMap = variable.valueFrom?.configMapKeyRef;
    if (variable.value !== undefined) {
      environment.set(variable.name, { from: "value", value: variable.value });
    } else if (secret !== undefined) {
      const reference = { name: secret.name!, key: secret.key, optional: secret.optional ?? false };
      environment.set(variable.name, { from: "secret", ...reference });
    } else if (configMap !== undefined) {
      const map = named(objects, "ConfigMap", configMap.name!) as IConfigMap | undefined;
      const value = map?.data?.[configMap.key];
      environment.set(variable.name, {
        from: "configMap",
        name: configMap.name!,
        key: configMap.key,
        value,
      });
    } else {
      environment.set(variable.name, { from: "other" });
    }
  }

  return environment;
}

/** A plain value of the container's environment (literal or from a rendered ConfigMap). */
export function plainValueOf(container: IContainer, objects: TK8sObject[], name: string) {
  const source = environmentOf(container, objects).get(name);
  if (source?.from === "value") return source.value;
  if (source?.from === "configMap") return source.value;

  return undefined;
}

/** A port given by number or by the name of one of the container's ports. */
export function portNumberOf(container: IContainer, port: number | string | undefined) {
  if (typeof port === "number") return port;

  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

export function matchesSelector(labels: Record<string, string>, selector: TLabelSelector): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const ok = {
      In: value !== undefined && values.includes(value),
      NotIn: value === undefined || !values.includes(value),
      Exists: value !== undefined,
      DoesNotExist: value === undefined,
    }[expression.operator as "In" | "NotIn" | "Exists" | "DoesNotExist"];
    if (ok !== true) return false;
  }

  return true;
}

/** The labels of the pods a workload creates. */
export function podLabelsOf(workload: TK8sObject): Record<string, string> {
  const spec = workload.spec as { template?: { metadata?: { labels?: Record<string, string> } } };

  return spec.template?.metadata?.labels ?? {};
}
