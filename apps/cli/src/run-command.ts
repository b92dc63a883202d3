/**
 * Runs one command: opens what it needs, turns known failures into one readable line and an exit
 * code (0 ok, 1 the command's check failed or an error, 2 bad input or configuration), and closes
 * connections so the process ends promptly.
 */
import { ZodError } from "zod";

import { ConnectionError } from "@ml-connector/connections";
import { ConfigError, scrubbedMessage } from "@ml-connector/runtime";
import { VaultError } from "@ml-connector/vault";

import { CliContext } from "./cli-context.js";
import { createOutput, type TOutput } from "./cli-output.js";
import { InputError } from "./input-file.js";

export async function runCommand(
  context: () => CliContext,
  json: boolean,
  command: (ctx: CliContext, out: TOutput) => Promise<number>,
): Promise<void> {
  const out = createOutput(json);
  let ctx: CliContext | undefined;
  let code: number;
  try {
    ctx = context();
    code = await command(ctx, out);
  } catch (err) {
    code = report(err, out);
  } finally {
    await ctx?.close().catch(() => undefined);
  }
  process.exitCode = code;
}

function report(err: unknown, out: TOutput): number {
  if (err instanceof ZodError) {
    for (const issue of err.issues) out.problem(`${issue.path.join(".")}: ${issue.message}`);

    return 2;
  }
  if (err instanceof ConfigError) {
    for (const problem of err.problems) out.problem(problem);

    return 2;
  }
  if (err instanceof InputError) {
    out.problem(err.message);

    return 2;
  }
  if (err instanceof ConnectionError || err instanceof VaultError) {
    out.problem(err.message);

    return err instanceof ConnectionError && err.code === "INVALID" ? 2 : 1;
  }
  out.problem(scrubbedMessage(err));

  return 1;
}
