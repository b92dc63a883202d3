import { describe, expect, it } from "vitest";

import type { TK8sObject } from "../manifests/k8s-object.js";
import { OVERLAYS } from "../manifests/manifest-queries.js";
import { validateFieldNames, validateValues } from "../manifests/schema.validator.js";
import { rendered } from "./rendered-overlays.js";

type TLoose = Record<string, unknown> & { spec: Record<string, unknown> };

function mainPodSpec(objects: TK8sObject[], kind: string, name: string): TLoose {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name) as unknown as {
    spec: { template: { spec: TLoose } };
  };

  return object.spec.template.spec;
}

describe.each(OVERLAYS)("overlay %s against the Kubernetes API schemas", (overlay) => {
  it("renders", () => {
    expect(rendered(overlay).length).toBeGreaterThan(10);
  });

  it("has valid values in every object (types, enums, required fields, formats)", async () => {
    expect(await validateValues(rendered(overlay))).toEqual([]);
  });

  it("has no unknown or misplaced field in any object", () => {
    expect(validateFieldNames(rendered(overlay))).toEqual([]);
  });
});

describe("the schema checks themselves", () => {
  it("report a wrong type, a missing required field and a kind without a schema", async () => {
    const objects = rendered("production-keda");
    const pod = mainPodSpec(objects, "Deployment", "console");
    (pod.securityContext as Record<string, unknown>).runAsUser = "node";
    const scaledObject = objects.find((o) => o.kind === "ScaledObject") as unknown as TLoose;
    delete scaledObject.spec.scaleTargetRef;
    const unknownKind = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } };

    const problems = await validateValues([...objects, unknownKind]);

    expect(problems.map((p) => p.message).join("\n")).toMatch(/runAsUser must be integer/);
    expect(problems.map((p) => p.message).join("\n")).toMatch(/required property scaleTargetRef/);
    expect(problems).toContainEqual({
      object: "example.com/Widget/~/w",
      message: "no schema for example.com/v1 Widget",
    });
  });

  it("report a misspelt field deep inside a pod template and inside a KEDA trigger list", () => {
    const objects = rendered("production-keda");
    const pod = mainPodSpec(objects, "Deployment", "plex-poller");
    const [container] = pod.containers as Record<string, unknown>[];
    container!.livenesProbe = container!.livenessProbe;
    const scaledObject = objects.find((o) => o.kind === "ScaledObject") as unknown as TLoose;
    scaledObject.spec.trigers = scaledObject.spec.triggers;

    const problems = validateFieldNames(objects);

    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ object: "apps/Deployment/ml-connector/plex-poller" });
    expect(problems[0]?.message).toMatch(/'"livenesProbe"' does not exist in type 'IContainer'/);
    expect(problems[1]).toMatchObject({
      object: "keda.sh/ScaledObject/ml-connector/mailchimp-writer",
    });
    expect(problems[1]?.message).toMatch(/"trigers"/);
  });
});
