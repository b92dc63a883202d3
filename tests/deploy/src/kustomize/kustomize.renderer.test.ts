import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { renderKustomization, RenderError } from "./kustomize.renderer.js";

let root: string | undefined;

/** Writes a tree of files (path → content) into a fresh temporary folder. */
function tree(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), "mlc-kustomize-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }

  return root;
}

afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

const BASE = {
  "base/kustomization.yaml": `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [app.yaml]
`,
  "base/app.yaml": `
apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec:
  replicas: 1
  template:
    spec:
      initContainers: [{ name: wait, image: example/migrate }]
      containers: [{ name: app, image: example/app:1.0 }]
      volumes: [{ name: keys, secret: { secretName: keys, defaultMode: 0440 } }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: app }
spec: { maxReplicas: 3, scaleTargetRef: { kind: Deployment, name: app } }
`,
};

const OVERLAY = `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
resources: [../base]
components: [../component]
images:
  - { name: example/app, newName: registry.example.com/app, newTag: "2.0" }
  - { name: example/migrate, newTag: "2.0" }
patches:
  - path: replicas.patch.yaml
`;

const COMPONENT = {
  "component/kustomization.yaml": `
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources: [extra.yaml]
patches:
  - path: delete-hpa.yaml
    target: { group: autoscaling, version: v2, kind: HorizontalPodAutoscaler, name: app }
`,
  "component/extra.yaml": `
apiVersion: v1
kind: ConfigMap
metadata: { name: extra }
data: { A: "1" }
`,
  "component/delete-hpa.yaml": `
$patch: delete
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: whatever }
`,
};

describe("renderKustomization", () => {
  it("applies resources, components, patches, namespace and images in kustomize's order", () => {
    const dir = tree({
      ...BASE,
      ...COMPONENT,
      "overlay/kustomization.yaml": OVERLAY,
      "overlay/replicas.patch.yaml": `
apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec: { replicas: 3 }
`,
    });
    const objects = renderKustomization(join(dir, "overlay"));

    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      "Deployment/prod/app",
      "ConfigMap/prod/extra",
    ]);
    const spec = objects[0]!.spec as {
      replicas: number;
      template: { spec: Record<string, { image?: string; secret?: { defaultMode: number } }[]> };
    };
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.containers![0]!.image).toBe("registry.example.com/app:2.0");
    expect(spec.template.spec.initContainers![0]!.image).toBe("example/migrate:2.0");
    // YAML 1.1, as Kubernetes reads it: 0440 is octal.
    expect(spec.template.spec.volumes![0]!.secret!.defaultMode).toBe(0o440);
  });

  it("refuses kustomization fields it does not implement", () => {
    const dir = tree({
      ...BASE,
      "overlay/kustomization.yaml": `${OVERLAY.replace("components: [../component]", "")}
commonLabels: { team: a }
`,
      "overlay/replicas.patch.yaml":
        "{ apiVersion: apps/v1, kind: Deployment, metadata: { name: app } }",
    });

    expect(() => renderKustomization(join(dir, "overlay"))).toThrow(/commonLabels/);
  });

  it("refuses files outside the kustomization's folder, as kustomize's load restrictor does", () => {
    const dir = tree({
      ...BASE,
      "overlay/kustomization.yaml": `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base/app.yaml]
`,
    });

    expect(() => renderKustomization(join(dir, "overlay"))).toThrow(/outside/);
  });

  it("refuses a patch that matches nothing, and a JSON 6902 patch", () => {
    const dir = tree({
      ...BASE,
      "overlay/kustomization.yaml": `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base]
patches: [{ path: p.yaml }]
`,
      "overlay/p.yaml": "{ apiVersion: apps/v1, kind: Deployment, metadata: { name: other } }",
    });
    expect(() => renderKustomization(join(dir, "overlay"))).toThrow(/found 0 targets/);

    writeFileSync(join(dir, "overlay/p.yaml"), "- { op: replace, path: /spec/replicas, value: 2 }");
    expect(() => renderKustomization(join(dir, "overlay"))).toThrow(RenderError);
  });

  it("refuses an object defined twice", () => {
    const dir = tree({
      ...BASE,
      "overlay/kustomization.yaml": `
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base, again.yaml]
`,
      "overlay/again.yaml": "{ apiVersion: apps/v1, kind: Deployment, metadata: { name: app } }",
    });

    expect(() => renderKustomization(join(dir, "overlay"))).toThrow(/defined twice/);
  });
});
