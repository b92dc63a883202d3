import { describe, expect, it } from "vitest";

import { applyStrategicMerge, PatchError, type TJsonObject } from "./strategic-merge.js";

function deployment(): TJsonObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "console", labels: { a: "1", b: "2" } },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [
            {
              name: "console",
              image: "console:1",
              args: ["--one", "--two"],
              env: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
              ],
              ports: [{ name: "http", containerPort: 8080 }],
            },
            { name: "sidecar", image: "sidecar:1" },
          ],
          tolerations: [{ key: "x", operator: "Exists" }],
        },
      },
    },
  };
}

function patch(spec: TJsonObject): TJsonObject {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "console" }, spec };
}

describe("strategic merge patch (the subset deploy/ uses)", () => {
  it("merges maps key by key and deletes keys patched to null", () => {
    const result = applyStrategicMerge(deployment(), {
      ...patch({ replicas: null }),
      metadata: { name: "console", labels: { b: null, c: "3" } },
    });

    expect(result?.metadata).toEqual({ name: "console", labels: { a: "1", c: "3" } });
    expect((result?.spec as TJsonObject).replicas).toBeUndefined();
  });

  it("merges containers by name and their env by name, appending new entries", () => {
    const result = applyStrategicMerge(
      deployment(),
      patch({
        template: {
          spec: {
            containers: [
              {
                name: "console",
                env: [
                  { name: "B", value: "changed" },
                  { name: "C", value: "3" },
                ],
              },
            ],
          },
        },
      }),
    );
    const containers = ((result?.spec as TJsonObject).template as TJsonObject).spec as TJsonObject;
    const [console, sidecar] = containers.containers as TJsonObject[];

    expect(console?.image).toBe("console:1");
    expect(console?.env).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "changed" },
      { name: "C", value: "3" },
    ]);
    expect(sidecar).toEqual({ name: "sidecar", image: "sidecar:1" });
  });

  it("removes a list item marked $patch: delete and a whole object marked so", () => {
    const result = applyStrategicMerge(
      deployment(),
      patch({ template: { spec: { containers: [{ name: "sidecar", $patch: "delete" }] } } }),
    );
    const spec = ((result?.spec as TJsonObject).template as TJsonObject).spec as TJsonObject;

    expect((spec.containers as TJsonObject[]).map((c) => c.name)).toEqual(["console"]);
    expect(applyStrategicMerge(deployment(), { ...patch({}), $patch: "delete" })).toBeNull();
  });

  it("replaces lists that have no merge key in the API (args, tolerations)", () => {
    const result = applyStrategicMerge(
      deployment(),
      patch({
        template: {
          spec: {
            containers: [{ name: "console", args: ["--three"] }],
            tolerations: [{ key: "y", operator: "Exists" }],
          },
        },
      }),
    );
    const spec = ((result?.spec as TJsonObject).template as TJsonObject).spec as TJsonObject;

    expect((spec.containers as TJsonObject[])[0]?.args).toEqual(["--three"]);
    expect(spec.tolerations).toEqual([{ key: "y", operator: "Exists" }]);
  });

  it("merges Service ports on port, not on containerPort", () => {
    const service: TJsonObject = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "console" },
      spec: { ports: [{ name: "http", port: 8080, targetPort: "http" }] },
    };
    const result = applyStrategicMerge(service, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "console" },
      spec: {
        ports: [
          { port: 8080, name: "web" },
          { port: 9090, name: "metrics" },
        ],
      },
    });

    expect((result?.spec as TJsonObject).ports).toEqual([
      { name: "web", port: 8080, targetPort: "http" },
      { port: 9090, name: "metrics" },
    ]);
  });

  it("refuses a list of objects whose merge behaviour it does not know", () => {
    const original: TJsonObject = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w" },
      spec: { gadgets: [{ id: 1 }] },
    };
    const widgetPatch = { ...original, spec: { gadgets: [{ id: 2 }] } };

    expect(() => applyStrategicMerge(original, widgetPatch)).toThrow(PatchError);
    expect(() => applyStrategicMerge(original, widgetPatch)).toThrow(/spec\.gadgets/);
  });

  it("refuses directives it does not implement, and merge-list items without their key", () => {
    expect(() =>
      applyStrategicMerge(deployment(), { ...patch({}), $setElementOrder: [] as never }),
    ).toThrow(/\$setElementOrder/);
    expect(() =>
      applyStrategicMerge(deployment(), patch({ template: { spec: { $patch: "replace" } } })),
    ).toThrow(/replace/);
    expect(() =>
      applyStrategicMerge(
        deployment(),
        patch({ template: { spec: { containers: [{ image: "x" }] } } }),
      ),
    ).toThrow(/has no "name"/);
  });
});
