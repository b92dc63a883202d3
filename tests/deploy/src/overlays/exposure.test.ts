/**
 * What can reach the pods and what secrets they hold: Services and the Ingress only for the
 * receiver and the console, NetworkPolicies that keep everything else inside the cluster, and
 * secrets that come from Secrets — never inlined in production, master keys as mounted files.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IService } from "kubernetes-models/v1/Service";
import { describe, expect, it } from "vitest";

import { parseYamlDocuments } from "../kustomize/kustomize.renderer.js";
import { containersOf, podSpecOf, type TK8sObject } from "../manifests/k8s-object.js";
import {
  appNames,
  DEPLOY,
  environmentOf,
  isSandbox,
  mainContainer,
  matchesSelector,
  named,
  ofKind,
  OVERLAYS,
  podLabelsOf,
} from "../manifests/manifest-queries.js";
import { rendered } from "./rendered-overlays.js";

const PUBLIC = ["console", "webhook-receiver"];
const MONITORING = "monitoring";
/** Variable names whose values are secrets: the runtime's rule (packages/runtime/src/env.ts) plus the two URLs that carry passwords. */
const SECRET_NAME = /(KEY|SECRET|PASSWORD|TOKEN|CREDENTIAL)|^(DATABASE_URL|REDIS_URL)$/i;

const services = appNames().filter((app) => !isSandbox(app));

type TPeer = NonNullable<NonNullable<INetworkPolicy["spec"]>["ingress"]>[number]["from"];

/** A rule source outside this namespace: everyone, an IP block, or another namespace. */
function admitsOutside(from: TPeer): boolean {
  if (from === undefined || from.length === 0) return true;

  return from.some((peer) => {
    if (peer.ipBlock !== undefined) return true;
    if (peer.namespaceSelector === undefined) return false;
    const namespace = peer.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"];

    return namespace !== MONITORING;
  });
}

function policiesSelecting(objects: TK8sObject[], labels: Record<string, string>) {
  return (ofKind(objects, "NetworkPolicy") as unknown as INetworkPolicy[]).filter((policy) =>
    matchesSelector(labels, policy.spec!.podSelector),
  );
}

describe.each(OVERLAYS)("overlay %s: exposure", (overlay) => {
  const objects = rendered(overlay);
  const deployments = ofKind(objects, "Deployment");
  const ourPods = deployments.filter((deployment) => services.includes(deployment.metadata.name));

  it("gives a Service to the receiver and the console only, among the services", () => {
    const selected = (ofKind(objects, "Service") as unknown as IService[]).flatMap((service) =>
      ourPods
        .filter((pod) =>
          matchesSelector(podLabelsOf(pod), { matchLabels: service.spec!.selector! }),
        )
        .map((pod) => pod.metadata.name),
    );

    expect(selected.sort()).toEqual([...PUBLIC].sort());
  });

  it("routes the Ingress to the receiver and the console only", () => {
    const ingresses = ofKind(objects, "Ingress") as unknown as IIngress[];
    const backends = ingresses.flatMap((ingress) =>
      (ingress.spec?.rules ?? []).flatMap((rule) =>
        (rule.http?.paths ?? []).map((path) => path.backend.service?.name),
      ),
    );

    expect(new Set(backends)).toEqual(new Set(PUBLIC));
  });

  it("denies all inbound traffic unless a policy allows it", () => {
    const denyAll = (ofKind(objects, "NetworkPolicy") as unknown as INetworkPolicy[]).filter(
      (policy) =>
        Object.keys(policy.spec?.podSelector ?? {}).length === 0 &&
        (policy.spec?.policyTypes ?? []).includes("Ingress") &&
        (policy.spec?.ingress ?? []).length === 0,
    );

    expect(denyAll).toHaveLength(1);
  });

  it("lets only the receiver and the console take traffic from outside the namespace", () => {
    for (const deployment of deployments) {
      const labels = podLabelsOf(deployment);
      const outside = policiesSelecting(objects, labels).flatMap((policy) =>
        (policy.spec?.ingress ?? []).filter((rule) => admitsOutside(rule.from)),
      );
      const where = deployment.metadata.name;
      if (PUBLIC.includes(where)) {
        expect(outside.length, where).toBeGreaterThan(0);
        for (const rule of outside)
          expect(
            rule.ports?.map((p) => p.port),
            where,
          ).toEqual(["http"]);
      } else {
        expect(outside, where).toEqual([]);
      }
    }
  });

  it("takes every secret the services read from a Secret, and the master keys as mounted files", () => {
    for (const deployment of ourPods) {
      const container = mainContainer(deployment);
      const environment = environmentOf(container, objects);
      for (const [name, source] of environment) {
        // MASTER_KEY_FILE names a path to secret files, not a secret.
        if (!SECRET_NAME.test(name) || name.endsWith("_FILE")) continue;
        expect(source.from, `${deployment.metadata.name} ${name}`).toBe("secret");
      }
      expect(environment.has("MASTER_KEYS"), deployment.metadata.name).toBe(false);

      const keyPath = environment.get("MASTER_KEY_FILE");
      expect(keyPath?.from, deployment.metadata.name).toBe("value");
      const mount = container.volumeMounts?.find(
        (candidate) => keyPath?.from === "value" && candidate.mountPath === keyPath.value,
      );
      expect(mount?.readOnly, deployment.metadata.name).toBe(true);
      const volume = podSpecOf(deployment)?.volumes?.find((v) => v.name === mount?.name);
      expect(volume?.secret?.secretName).toBe("mlc-master-keys");
      // Group-readable only, and the pod's group is the one that reads it.
      expect(volume?.secret?.defaultMode).toBe(0o440);
      expect(podSpecOf(deployment)?.securityContext?.fsGroup).toBe(
        podSpecOf(deployment)?.securityContext?.runAsGroup,
      );
    }
  });
});

describe("secrets in the repository", () => {
  /** "secret/key" for each secretKeyRef, "secret/*" for each Secret mounted as a volume. */
  const references = (objects: TK8sObject[]) =>
    ofKind(objects, "Deployment")
      .concat(ofKind(objects, "Job"))
      .flatMap((workload) => {
        const fromEnv = containersOf(workload).flatMap(({ container }) =>
          [...environmentOf(container, objects).values()].flatMap((source) =>
            source.from === "secret"
              ? [{ reference: `${source.name}/${source.key}`, optional: source.optional }]
              : [],
          ),
        );
        const fromVolumes = (podSpecOf(workload)?.volumes ?? []).flatMap((volume) =>
          volume.secret === undefined
            ? []
            : [
                {
                  reference: `${volume.secret.secretName}/*`,
                  optional: volume.secret.optional ?? false,
                },
              ],
        );

        return [...fromEnv, ...fromVolumes];
      });
  const referenced = (objects: TK8sObject[]) => references(objects).map((r) => r.reference);

  it("inlines no secret in production: no Secret object, no secret-looking config value", () => {
    for (const overlay of ["production", "production-keda"] as const) {
      const objects = rendered(overlay);
      expect(ofKind(objects, "Secret")).toEqual([]);
      for (const configMap of ofKind(objects, "ConfigMap")) {
        for (const [key, value] of Object.entries(
          (configMap.data ?? {}) as Record<string, string>,
        )) {
          expect(SECRET_NAME.test(key), key).toBe(false);
          expect(value, key).not.toMatch(/:\/\/[^/\s]*:[^/\s]*@/);
        }
      }
    }
  });

  it("documents every Secret and key production reads in the example, with placeholders only", () => {
    const file = join(DEPLOY, "examples", "secrets.example.yaml");
    const examples = parseYamlDocuments(readFileSync(file, "utf8"), file) as TK8sObject[];
    const wanted = new Set(referenced(rendered("production")));
    // A Secret mounted as a volume is read whole (every key a file); others key by key.
    const provided = examples.flatMap((secret) =>
      wanted.has(`${secret.metadata.name}/*`)
        ? [`${secret.metadata.name}/*`]
        : Object.keys(secret.stringData as object).map((key) => `${secret.metadata.name}/${key}`),
    );

    expect(new Set(provided)).toEqual(wanted);
    for (const secret of examples) {
      for (const [key, value] of Object.entries(secret.stringData as Record<string, string>)) {
        if (key !== "current") expect(value, `${secret.metadata.name}/${key}`).toMatch(/<[^>]+>/);
      }
    }
  });

  it("keeps the example out of every kustomization", () => {
    const includes: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        if (entry !== "kustomization.yaml") continue;
        const [kustomization] = parseYamlDocuments(readFileSync(path, "utf8"), path) as {
          resources?: string[];
          components?: string[];
          patches?: { path?: string }[];
        }[];
        includes.push(
          ...(kustomization?.resources ?? []),
          ...(kustomization?.components ?? []),
          ...(kustomization?.patches ?? []).flatMap((patch) => patch.path ?? []),
        );
      }
    };
    walk(DEPLOY);

    expect(includes.length).toBeGreaterThanOrEqual(20);
    expect(includes.filter((include) => /examples|secrets\.example/.test(include))).toEqual([]);
  });

  it("marks every Secret of the dev overlay as sandbox-only and covers what dev reads", () => {
    const objects = rendered("dev");
    const secrets = ofKind(objects, "Secret");
    for (const secret of secrets) {
      expect(secret.metadata.labels, secret.metadata.name).toMatchObject({
        "ml-connector/sandbox-only": "true",
      });
    }
    for (const { reference, optional } of references(objects)) {
      if (optional) continue;
      const [name, key] = reference.split("/") as [string, string];
      const secret = named(objects, "Secret", name);
      expect(secret, reference).toBeDefined();
      if (key !== "*") expect(Object.keys(secret?.stringData as object), reference).toContain(key);
    }
  });
});
