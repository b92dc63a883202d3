/** Reads the repository's Dockerfile by build stage (it is read, never built, on these machines). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { DockerfileParser, type From, type Instruction } from "dockerfile-ast";

import { ROOT } from "./manifest-queries.js";

export const dockerfile = DockerfileParser.parse(readFileSync(join(ROOT, "Dockerfile"), "utf8"));

/** The instructions of each build stage, by stage name. */
export function stages(): Map<string, Instruction[]> {
  const byStage = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      current = [];
      byStage.set((instruction as From).getBuildStage() ?? `#${byStage.size}`, current);
    }
    current.push(instruction);
  }

  return byStage;
}

/** The arguments of the last instruction of a kind in a stage (USER, WORKDIR, CMD, …). */
export function last(stage: string, keyword: string): string | undefined {
  const instructions = stages().get(stage) ?? [];
  const found = instructions.filter((i) => i.getKeyword() === keyword).at(-1);

  return found?.getArgumentsContent() ?? undefined;
}

/** A JSON-form CMD or ENTRYPOINT of a stage, as an argv. */
export function execForm(stage: string, keyword: "CMD" | "ENTRYPOINT"): string[] {
  return JSON.parse(last(stage, keyword) ?? "[]") as string[];
}
