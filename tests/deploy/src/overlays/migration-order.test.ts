/**
 * Migrations run before the apps roll out: one Job applies them (the Dockerfile's `migrate`
 * target), and every pod that uses the database waits in an init container until `prisma migrate
 * status` reports the schema of its own release. These are the static invariants of that design;
 * migration-gate.int.test.ts runs the same commands against a real Postgres.
 */
import type { IJob } from "kubernetes-models/batch/v1/Job";
import { describe, expect, it } from "vitest";

import { containersOf, podSpecOf, type TK8sObject } from "../manifests/k8s-object.js";
import { environmentOf, mainContainer, ofKind, OVERLAYS } from "../manifests/manifest-queries.js";
import { rendered } from "./rendered-overlays.js";

const GATE = "wait-for-migrations";

function commandLine(container: { command?: string[]; args?: string[] }): string {
  return [...(container.command ?? []), ...(container.args ?? [])].join(" ");
}

describe.each(OVERLAYS)("overlay %s: migration ordering", (overlay) => {
  const objects = rendered(overlay);
  const jobs = ofKind(objects, "Job") as unknown as (IJob & TK8sObject)[];
  const migrations = jobs.filter((job) =>
    /migrate deploy/.test(commandLine(job.spec!.template.spec!.containers[0]!)),
  );
  const migrationContainer = () => migrations[0]!.spec!.template.spec!.containers[0]!;

  it("has exactly one migration Job, which never restarts in place and gives up after one retry", () => {
    expect(migrations).toHaveLength(1);
    const spec = migrations[0]!.spec!;

    expect(spec.template.spec?.restartPolicy).toBe("Never");
    expect(spec.backoffLimit).toBeLessThanOrEqual(1);
    expect(spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(migrationContainer().image).toMatch(/ml-connector\/migrate(:|@|$)/);
  });

  it("holds every pod that uses the database behind the migration gate", () => {
    const job = migrationContainer();
    const jobDatabase = environmentOf(job, objects).get("DATABASE_URL");
    let gated = 0;
    for (const deployment of ofKind(objects, "Deployment")) {
      const main = environmentOf(mainContainer(deployment), objects);
      if (!main.has("DATABASE_URL")) continue;
      gated += 1;
      const [first] = podSpecOf(deployment)?.initContainers ?? [];
      const where = deployment.metadata.name;

      // The first init container, so nothing of the pod starts before the schema is right.
      expect(first?.name, where).toBe(GATE);
      // The migrations it compares with are those of the Job's image: the same release.
      expect(first?.image, where).toBe(job.image);
      expect(first?.workingDir, where).toBe(job.workingDir);
      expect(commandLine(first!), where).toMatch(/until .*migrate status/);
      // The same database as the Job and as the service itself.
      expect(environmentOf(first!, objects).get("DATABASE_URL"), where).toEqual(jobDatabase);
      expect(main.get("DATABASE_URL"), where).toEqual(jobDatabase);
    }

    expect(gated).toBeGreaterThanOrEqual(5);
  });

  it("migrates from the Job only: no other container runs migrate deploy", () => {
    const others = ofKind(objects, "Deployment").flatMap((deployment) =>
      containersOf(deployment).filter(({ container }) =>
        /migrate deploy/.test(commandLine(container)),
      ),
    );

    expect(others).toEqual([]);
  });
});
