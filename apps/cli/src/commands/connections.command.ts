/**
 * ml-connector connections add|list|show|test|delete
 */
import type { Command } from "commander";

import { checkConnection, type TConnectionView } from "@ml-connector/connections";

import type { CliContext } from "../cli-context.js";
import { table } from "../cli-output.js";
import { readJsonInput } from "../input-file.js";
import { runCommand } from "../run-command.js";

function summary(connection: TConnectionView): string[] {
  return [
    connection.id,
    connection.name,
    connection.status,
    `${connection.plex.authScheme} → ${connection.plex.baseUrl}`,
    `${connection.mailchimp.authScheme} ${connection.mailchimp.dc ?? "-"} list ${connection.mailchimp.listId ?? "-"}`,
  ];
}

export function registerConnectionCommands(program: Command, context: () => CliContext): void {
  const connections = program.command("connections").description("manage connections");

  connections
    .command("add")
    .description('create a connection from a JSON file (values "env:NAME" read the environment)')
    .requiredOption("-f, --file <path>", "connection JSON, or - for standard input")
    .option("--json", "print the result as JSON")
    .option("--no-test", "do not test both sides after creating")
    .action((options: { file: string; json?: boolean; test: boolean }) =>
      runCommand(context, options.json === true, async (ctx, out) => {
        const connection = await ctx.connections.create(readJsonInput(options.file) as never);
        out.line(`created connection ${connection.id} (${connection.name})`);
        const check = options.test
          ? await checkConnection(connection, ctx.clientDeps())
          : undefined;
        if (check !== undefined) {
          out.line(`  Plex:      ${check.plex.ok ? "ok" : "FAILED"} — ${check.plex.message}`);
          out.line(
            `  Mailchimp: ${check.mailchimp.ok ? "ok" : "FAILED"} — ${check.mailchimp.message}`,
          );
        }
        out.data({ connection, check });

        return check === undefined || check.ok ? 0 : 1;
      }),
    );

  connections
    .command("list")
    .description("list connections")
    .option("--json", "print as JSON")
    .action((options: { json?: boolean }) =>
      runCommand(context, options.json === true, async (ctx, out) => {
        const all = await ctx.connections.list();
        if (all.length === 0)
          out.line("no connections yet: add one with `ml-connector connections add`");
        else out.line(table([["ID", "NAME", "STATUS", "PLEX", "MAILCHIMP"], ...all.map(summary)]));
        out.data({ connections: all });

        return 0;
      }),
    );

  connections
    .command("show <id>")
    .description("show one connection (credentials as hints only)")
    .action((id: string) =>
      runCommand(context, true, async (ctx, out) => {
        out.data(await ctx.connections.get(id));

        return 0;
      }),
    );

  connections
    .command("test <id>")
    .description("check Plex and Mailchimp live and say what is wrong")
    .option("--json", "print as JSON")
    .action((id: string, options: { json?: boolean }) =>
      runCommand(context, options.json === true, async (ctx, out) => {
        const connection = await ctx.connections.get(id);
        const check = await checkConnection(connection, ctx.clientDeps());
        out.line(`Plex:      ${check.plex.ok ? "ok" : "FAILED"} — ${check.plex.message}`);
        if (check.plex.detail !== undefined) out.line(`           (${check.plex.detail})`);
        out.line(`Mailchimp: ${check.mailchimp.ok ? "ok" : "FAILED"} — ${check.mailchimp.message}`);
        if (check.mailchimp.detail !== undefined)
          out.line(`           (${check.mailchimp.detail})`);
        out.data(check);

        return check.ok ? 0 : 1;
      }),
    );

  connections
    .command("delete <id>")
    .description("remove a connection; its credentials are erased, its audit trail kept")
    .action((id: string) =>
      runCommand(context, false, async (ctx, out) => {
        await ctx.connections.delete(id);
        out.line(`deleted connection ${id}`);

        return 0;
      }),
    );
}
