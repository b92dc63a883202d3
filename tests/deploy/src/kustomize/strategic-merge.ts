/**
 * The part of Kubernetes' strategic merge patch that deploy/ uses, applied the way kustomize
 * applies it (kubernetes/community, contributors/devel/sig-api-machinery/strategic-merge-patch.md):
 *
 * - maps merge key by key, recursively; a `null` value deletes the key;
 * - a list of objects that the Kubernetes API declares with a patch merge key (containers and
 *   volumes by `name`, env by `name`, volumeMounts by `mountPath`, container ports by
 *   `containerPort`, Service ports by `port`, …) merges item by item on that key, and an item with
 *   `$patch: delete` removes its match; new items are appended;
 * - every other list replaces the original, as in the API (args, command, Ingress rules,
 *   NetworkPolicy rules, …);
 * - anything else (a list of objects this table does not know, other `$patch` directives,
 *   `$setElementOrder`, `$retainKeys`) is an error, so a patch can never render one way here and
 *   another way under `kubectl apply -k`.
 */

export type TJsonObject = { [key: string]: TJson };
export type TJson = string | number | boolean | null | TJson[] | TJsonObject;

export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatchError";
  }
}

/** Lists that merge on a key, by the field names leading to them (list indices left out). */
const MERGE_KEYS: { suffix: string[]; key: string; kind?: string }[] = [
  { suffix: ["containers"], key: "name" },
  { suffix: ["initContainers"], key: "name" },
  { suffix: ["ephemeralContainers"], key: "name" },
  { suffix: ["volumes"], key: "name" },
  { suffix: ["imagePullSecrets"], key: "name" },
  { suffix: ["topologySpreadConstraints"], key: "topologyKey" },
  { suffix: ["containers", "env"], key: "name" },
  { suffix: ["initContainers", "env"], key: "name" },
  { suffix: ["containers", "volumeMounts"], key: "mountPath" },
  { suffix: ["initContainers", "volumeMounts"], key: "mountPath" },
  { suffix: ["containers", "ports"], key: "containerPort" },
  { suffix: ["initContainers", "ports"], key: "containerPort" },
  { suffix: ["spec", "ports"], key: "port", kind: "Service" },
];

/** Lists of objects that have no merge key in the API: a patch replaces them whole. */
const ATOMIC_LISTS = new Set([
  "tolerations",
  "envFrom",
  "rules",
  "paths",
  "tls",
  "ingress",
  "egress",
  "from",
  "to",
  "metrics",
  "policies",
  "triggers",
  "matchExpressions",
  "items",
]);

function isObject(value: TJson | undefined): value is TJsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function mergeKeyFor(kind: string, path: string[]): string | undefined {
  for (const entry of MERGE_KEYS) {
    if (entry.kind !== undefined && entry.kind !== kind) continue;
    if (entry.kind !== undefined && path.length !== entry.suffix.length) continue;
    const tail = path.slice(-entry.suffix.length);
    if (tail.length === entry.suffix.length && tail.every((name, i) => name === entry.suffix[i])) {
      return entry.key;
    }
  }

  return undefined;
}

function rejectDirectives(patch: TJsonObject, where: string): void {
  for (const key of Object.keys(patch)) {
    if (key.startsWith("$") && key !== "$patch") {
      throw new PatchError(`${where}: directive ${key} is not supported by this renderer`);
    }
  }
  if (patch.$patch !== undefined && patch.$patch !== "delete") {
    throw new PatchError(`${where}: "$patch: ${JSON.stringify(patch.$patch)}" is not supported`);
  }
}

function mergeList(kind: string, path: string[], original: TJson[], patch: TJson[]): TJson[] {
  const where = path.join(".");
  const objects = patch.filter(isObject);
  if (objects.length === 0 && original.every((item) => !isObject(item))) return patch;

  const key = mergeKeyFor(kind, path);
  if (key === undefined) {
    if (ATOMIC_LISTS.has(path.at(-1) ?? "")) return patch;
    throw new PatchError(
      `${where}: the renderer does not know how kustomize merges this list; ` +
        "add its patch merge key (or its atomic status) to strategic-merge.ts",
    );
  }

  const merged = [...original];
  for (const item of patch) {
    if (!isObject(item)) throw new PatchError(`${where}: item is not an object`);
    rejectDirectives(item, where);
    const id = item[key];
    if (id === undefined) throw new PatchError(`${where}: patch item has no "${key}"`);
    const index = merged.findIndex((candidate) => isObject(candidate) && candidate[key] === id);
    if (item.$patch === "delete") {
      if (index >= 0) merged.splice(index, 1);
      continue;
    }
    if (index < 0) {
      merged.push(stripNulls(item));
      continue;
    }
    merged[index] = mergeValue(kind, path, merged[index]!, item);
  }

  return merged;
}

/** Nulls in a patch delete keys of the original; in a new item there is nothing to delete. */
function stripNulls(value: TJson): TJson {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (!isObject(value)) return value;
  const copy: TJsonObject = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null) copy[key] = stripNulls(field);
  }

  return copy;
}

function mergeValue(kind: string, path: string[], original: TJson, patch: TJson): TJson {
  if (Array.isArray(patch)) {
    return Array.isArray(original) ? mergeList(kind, path, original, patch) : patch;
  }
  if (!isObject(patch)) return patch;
  if (!isObject(original)) return stripNulls(patch);

  rejectDirectives(patch, path.join(".") || "(root)");
  const merged: TJsonObject = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch") continue;
    if (value === null) {
      delete merged[key];
      continue;
    }
    const current = merged[key];
    merged[key] =
      current === undefined ? stripNulls(value) : mergeValue(kind, [...path, key], current, value);
  }

  return merged;
}

/**
 * Applies `patch` to `original` (both whole Kubernetes objects). Returns null when the patch is
 * `$patch: delete` at the top, which removes the object.
 */
export function applyStrategicMerge(original: TJsonObject, patch: TJsonObject): TJsonObject | null {
  if (patch.$patch === "delete") return null;
  const kind = typeof original.kind === "string" ? original.kind : "";
  const merged = mergeValue(kind, [], original, patch);
  if (!isObject(merged)) throw new PatchError("a patch must be an object");

  return merged;
}
