/**
 * ml-connector credentials set|list, and master-key generate|rotate
 */
import type { Command } from "commander";

import { generateMasterKey, rotateMasterKey, ZCredentialKind } from "@ml-connector/vault";

import type { CliContext } from "../cli-context.js";
import { table } from "../cli-output.js";
import { readJsonInput } from "../input-file.js";
import { runCommand } from "../run-command.js";

export function registerCredentialCommands(program: Command, context: () => CliContext): void {
  const credentials = program.command("credentials").description("manage stored credentials");

  credentials
    .command("set <connectionId> <kind>")
    .description(
      'store (replace) one credential from JSON (values "env:NAME" read the environment)',
    )
    .requiredOption("-f, --file <path>", "credential JSON, or - for standard input")
    .action((connectionId: string, kind: string, options: { file: string }) =>
      runCommand(context, false, async (ctx, out) => {
        const parsedKind = ZCredentialKind.parse(kind);
        await ctx.vault.put(connectionId, parsedKind, readJsonInput(options.file) as never);
        const description = await ctx.vault.describe(connectionId, parsedKind);
        out.line(`stored ${parsedKind} for ${connectionId} (${description?.hint ?? "…"})`);

        return 0;
      }),
    );

  credentials
    .command("list <connectionId>")
    .description("list a connection's credentials (hints only)")
    .option("--json", "print as JSON")
    .action((connectionId: string, options: { json?: boolean }) =>
      runCommand(context, options.json === true, async (ctx, out) => {
        const list = await ctx.vault.list(connectionId);
        out.line(
          table([
            ["KIND", "KEY VERSION", "HINT", "UPDATED"],
            ...list.map((item) => [
              item.kind,
              String(item.masterKeyVersion),
              item.hint ?? "",
              item.updatedAt.toISOString(),
            ]),
          ]),
        );
        out.data({ credentials: list });

        return 0;
      }),
    );

  const masterKey = program.command("master-key").description("the vault's master keys");

  masterKey
    .command("generate")
    .description("print a new random master key (base64, 32 bytes)")
    .action(() => {
      process.stdout.write(`${generateMasterKey()}\n`);
    });

  masterKey
    .command("rotate")
    .description("re-wrap every data key under MASTER_KEY_CURRENT; safe to run while services run")
    .option("--batch-size <n>", "rows per batch", "100")
    .action((options: { batchSize: string }) =>
      runCommand(context, false, async (ctx, out) => {
        const result = await rotateMasterKey({
          prisma: ctx.prisma,
          keyring: ctx.keyring,
          batchSize: Number(options.batchSize),
          onProgress: (progress) => {
            out.line(
              `  re-wrapped ${progress.rewrapped}/${progress.total} (${progress.failed} failed)`,
            );
          },
        });
        out.line(
          `rotation finished: ${result.rewrapped} re-wrapped, ${result.failures.length} failed, ` +
            `${result.remaining} left on old versions`,
        );

        return result.remaining === 0 ? 0 : 1;
      }),
    );
}
