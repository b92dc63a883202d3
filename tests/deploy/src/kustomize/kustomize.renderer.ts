/**
 * Renders a kustomization directory (deploy/overlays/<name>) into the list of Kubernetes objects
 * `kubectl apply -k` would send, without kubectl. It implements the subset of kustomize that
 * deploy/ uses, in kustomize's order: resources (files and other kustomizations), then components,
 * then the kustomization's own patches (strategic merge, see strategic-merge.ts), namespace and
 * images. Whatever falls outside that subset is an error, never ignored.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

import { parseAllDocuments } from "yaml";

import {
  containersOf,
  groupOf,
  idOf,
  isK8sObject,
  type TK8sObject,
} from "../manifests/k8s-object.js";
import {
  ZComponent,
  ZKustomization,
  type TImage,
  type TKustomization,
  type TPatchTarget,
} from "./kustomization.schema.js";
import { applyStrategicMerge, type TJsonObject } from "./strategic-merge.js";

export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RenderError";
  }
}

/** Kinds without a namespace: the namespace transformer leaves them alone. */
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass"]);

/**
 * Kubernetes reads manifests as YAML 1.1 (sigs.k8s.io/yaml), where `0440` is octal and `yes` is a
 * boolean; the renderer must read them the same way.
 */
export function parseYamlDocuments(text: string, where: string): unknown[] {
  const documents = parseAllDocuments(text, { version: "1.1" });
  if (!Array.isArray(documents)) throw new RenderError(`${where}: not a YAML stream`);

  return documents.flatMap((document) => {
    if (document.errors.length > 0) {
      throw new RenderError(`${where}: ${document.errors.map((e) => e.message).join("; ")}`);
    }
    const value: unknown = document.toJS();

    return value === null || value === undefined ? [] : [value];
  });
}

/** kustomize's default load restrictor: files must sit inside the kustomization's folder. */
function insideRoot(root: string, path: string, what: string): string {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel === "" || rel.startsWith("..") || rel.startsWith(sep)) {
    throw new RenderError(`${what} ${path} is outside ${root} (only folders may be outside)`);
  }

  return full;
}

function readKustomization(dir: string, expected: "Kustomization" | "Component"): TKustomization {
  const file = join(dir, "kustomization.yaml");
  if (!existsSync(file)) throw new RenderError(`${dir}: no kustomization.yaml`);
  const [document, ...rest] = parseYamlDocuments(readFileSync(file, "utf8"), file);
  if (rest.length > 0) throw new RenderError(`${file}: more than one document`);
  const schema = expected === "Kustomization" ? ZKustomization : ZComponent;
  const parsed = schema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new RenderError(`${file}: ${problems.join("; ")}`);
  }

  return parsed.data;
}

function readObjects(file: string): TK8sObject[] {
  return parseYamlDocuments(readFileSync(file, "utf8"), file).map((document, index) => {
    if (!isK8sObject(document)) {
      throw new RenderError(`${file}: document ${index + 1} has no apiVersion, kind or name`);
    }

    return document;
  });
}

function assertUnique(objects: TK8sObject[], where: string): void {
  const seen = new Set<string>();
  for (const object of objects) {
    const id = idOf(object);
    if (seen.has(id)) throw new RenderError(`${where}: ${id} is defined twice`);
    seen.add(id);
  }
}

function matchesTarget(object: TK8sObject, target: TPatchTarget): boolean {
  const [group, version] = object.apiVersion.includes("/")
    ? object.apiVersion.split("/")
    : ["", object.apiVersion];

  return (
    object.kind === target.kind &&
    (target.group === undefined || target.group === group) &&
    (target.version === undefined || target.version === version) &&
    (target.name === undefined || target.name === object.metadata.name) &&
    (target.namespace === undefined || target.namespace === object.metadata.namespace)
  );
}

/** Without a target, a strategic merge patch names its object itself. */
function targetOfPatch(patch: TK8sObject): TPatchTarget {
  return {
    group: groupOf(patch.apiVersion),
    kind: patch.kind,
    name: patch.metadata.name,
    ...(patch.metadata.namespace === undefined ? {} : { namespace: patch.metadata.namespace }),
  };
}

function applyPatches(
  objects: TK8sObject[],
  dir: string,
  kustomization: TKustomization,
): TK8sObject[] {
  let current = objects;
  for (const entry of kustomization.patches) {
    const where = entry.path === undefined ? `${dir}: inline patch` : join(dir, entry.path);
    const text =
      entry.path === undefined
        ? entry.patch!
        : readFileSync(insideRoot(dir, entry.path, "patch"), "utf8");
    const documents = parseYamlDocuments(text, where);
    if (documents.length !== 1 || Array.isArray(documents[0])) {
      throw new RenderError(
        `${where}: one strategic merge patch per file (JSON 6902 is not supported)`,
      );
    }
    const patch = documents[0] as TJsonObject;
    const target = entry.target ?? (isK8sObject(patch) ? targetOfPatch(patch) : undefined);
    if (target === undefined) {
      throw new RenderError(`${where}: no target and no apiVersion/kind/name`);
    }

    const matched = current.filter((object) => matchesTarget(object, target));
    if (matched.length === 0 || (entry.target === undefined && matched.length > 1)) {
      throw new RenderError(
        `${where}: found ${matched.length} targets for ${JSON.stringify(target)}`,
      );
    }
    current = current.flatMap((object): TK8sObject[] => {
      if (!matched.includes(object)) return [object];
      // A targeted patch keeps the object's own identity, whatever the patch file names.
      const body =
        entry.target === undefined
          ? patch
          : {
              ...patch,
              metadata: { ...(patch.metadata as TJsonObject), name: object.metadata.name },
            };
      const result = applyStrategicMerge(object, body);

      return result === null ? [] : [result as TK8sObject];
    });
  }

  return current;
}

function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split("@") as [string, string | undefined];
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  const hasTag = colon > slash;

  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest === undefined ? {} : { digest }),
  };
}

function applyImages(objects: TK8sObject[], images: TImage[]): void {
  for (const object of objects) {
    for (const { container } of containersOf(object)) {
      if (container.image === undefined) continue;
      const current = splitImage(container.image);
      const rule = images.find((image) => image.name === current.name);
      if (rule === undefined) continue;
      const name = rule.newName ?? current.name;
      if (rule.digest !== undefined) {
        container.image = `${name}@${rule.digest}`;
        continue;
      }
      const tag = rule.newTag ?? current.tag;
      container.image = tag === undefined ? name : `${name}:${tag}`;
    }
  }
}

function build(dir: string, kind: "Kustomization" | "Component", inherited: TK8sObject[]) {
  const kustomization = readKustomization(dir, kind);
  let objects = [...inherited];

  for (const entry of kustomization.resources) {
    const full = resolve(dir, entry);
    if (existsSync(full) && statSync(full).isDirectory()) {
      objects.push(...build(full, "Kustomization", []));
      continue;
    }
    objects.push(...readObjects(insideRoot(dir, entry, "resource")));
  }
  assertUnique(objects, dir);

  for (const entry of kustomization.components) {
    const full = resolve(dir, entry);
    if (!existsSync(full) || !statSync(full).isDirectory()) {
      throw new RenderError(`${dir}: component ${entry} is not a folder`);
    }
    objects = build(full, "Component", objects);
  }

  objects = applyPatches(objects, dir, kustomization);
  if (kustomization.namespace !== undefined) {
    for (const object of objects) {
      if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
    }
  }
  applyImages(objects, kustomization.images);
  assertUnique(objects, dir);

  return objects;
}

/** Every object `kubectl apply -k <dir>` would create, in the order they were declared. */
export function renderKustomization(dir: string): TK8sObject[] {
  const root = resolve(dir);
  if (!existsSync(join(root, "kustomization.yaml"))) {
    throw new RenderError(`${root} has no kustomization.yaml (${dirname(root)} is not an overlay)`);
  }

  return structuredClone(build(root, "Kustomization", []));
}
