/**
 * The Dockerfile and the manifests agree: the images run as the user the pods declare, keep
 * dumb-init as PID 1 (no container overrides the entrypoint), and the migration image's working
 * directory and command are the ones the Job and the migration gates rely on. Docker cannot run
 * on the build machines, so the Dockerfile is read, not built (see deploy/README.md).
 */
import { describe, expect, it } from "vitest";

import { dockerfile, execForm, last, stages } from "../manifests/dockerfile.reader.js";
import { containersOf, podSpecOf } from "../manifests/k8s-object.js";
import { ofKind, OVERLAYS } from "../manifests/manifest-queries.js";
import { rendered } from "./rendered-overlays.js";

const ours = (image: string | undefined) => /(^|\/)ml-connector\//.test(image ?? "");

describe("Dockerfile", () => {
  it("builds an app target and a migrate target, each starting under dumb-init", () => {
    for (const stage of ["app", "migrate"]) {
      expect(stages().has(stage), stage).toBe(true);
      expect(execForm(stage, "ENTRYPOINT"), stage).toEqual(["dumb-init", "--"]);
    }
    expect(execForm("app", "CMD")).toEqual(["node", "--enable-source-maps", "dist/main.js"]);
  });

  it("prunes per app and installs from the lockfile, downloading nothing from elsewhere", () => {
    const runs = dockerfile
      .getInstructions()
      .filter((i) => i.getKeyword() === "RUN")
      .map((i) => i.getArgumentsContent() ?? "");

    expect(runs.filter((run) => /turbo prune .*--docker/.test(run))).toHaveLength(2);
    expect(runs.filter((run) => /pnpm install --frozen-lockfile/.test(run))).toHaveLength(2);
    expect(runs.filter((run) => /\b(curl|wget)\b/.test(run))).toEqual([]);
  });

  it("runs the images as the numeric non-root user every pod of ours declares", () => {
    const [uid, gid] = (last("app", "USER") ?? "").split(":").map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(last("migrate", "USER")).toBe(last("app", "USER"));

    for (const overlay of OVERLAYS) {
      const objects = rendered(overlay);
      for (const workload of [...ofKind(objects, "Deployment"), ...ofKind(objects, "Job")]) {
        const images = containersOf(workload).map(({ container }) => container.image);
        if (!images.every(ours)) continue;
        const context = podSpecOf(workload)?.securityContext;
        expect(context?.runAsUser, workload.metadata.name).toBe(uid);
        expect(context?.runAsGroup, workload.metadata.name).toBe(gid);
      }
    }
  });

  it("gives the migration image the working directory and command the Job and gates use", () => {
    for (const overlay of OVERLAYS) {
      const objects = rendered(overlay);
      const job = podSpecOf(ofKind(objects, "Job")[0]!)!.containers[0]!;
      expect(job.workingDir).toBe(last("migrate", "WORKDIR"));
      expect(job.args).toEqual(execForm("migrate", "CMD"));
      for (const deployment of ofKind(objects, "Deployment")) {
        for (const { container, init } of containersOf(deployment)) {
          if (init) expect(container.workingDir, deployment.metadata.name).toBe(job.workingDir);
        }
      }
    }
  });

  it("keeps dumb-init as PID 1: no container of ours replaces the image's entrypoint", () => {
    for (const overlay of OVERLAYS) {
      const objects = rendered(overlay);
      for (const workload of [...ofKind(objects, "Deployment"), ...ofKind(objects, "Job")]) {
        for (const { container } of containersOf(workload)) {
          if (ours(container.image)) expect(container.command, container.name).toBeUndefined();
        }
      }
    }
  });
});
