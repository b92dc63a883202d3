/**
 * Prints an overlay as `kubectl apply -k` would send it, for machines without kubectl and for
 * review:  pnpm --filter @ml-connector/deploy-tests render production > production.yaml
 * Exits 1 with the reason when the overlay does not render or fails the schema checks.
 */
import { join } from "node:path";

import { stringify } from "yaml";

import { renderKustomization } from "../kustomize/kustomize.renderer.js";
import { DEPLOY, OVERLAYS } from "../manifests/manifest-queries.js";
import { validateObjects } from "../manifests/schema.validator.js";

const overlay = process.argv[2];
if (overlay === undefined || !(OVERLAYS as readonly string[]).includes(overlay)) {
  console.error(`usage: render <${OVERLAYS.join("|")}>`);
  process.exit(2);
}

try {
  const objects = renderKustomization(join(DEPLOY, "overlays", overlay));
  const problems = await validateObjects(objects);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`${problem.object}: ${problem.message}`);
    process.exit(1);
  }
  process.stdout.write(objects.map((object) => stringify(object)).join("---\n"));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
