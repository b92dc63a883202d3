/** Each overlay rendered once per test file (rendering reads and parses every manifest). */
import { join } from "node:path";

import { renderKustomization } from "../kustomize/kustomize.renderer.js";
import type { TK8sObject } from "../manifests/k8s-object.js";
import { DEPLOY, type TOverlay } from "../manifests/manifest-queries.js";

const cache = new Map<TOverlay, TK8sObject[]>();

/** A fresh copy, so a test that mutates it cannot disturb another. */
export function rendered(overlay: TOverlay): TK8sObject[] {
  let objects = cache.get(overlay);
  if (objects === undefined) {
    objects = renderKustomization(join(DEPLOY, "overlays", overlay));
    cache.set(overlay, objects);
  }

  return structuredClone(objects);
}
