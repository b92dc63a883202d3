/**
 * ml-connector status | audit | replay | backfill
 */
import type { Command } from "commander";

import { openPlexClients } from "@ml-connector/connections";
import { createProducer, enqueueWriteRecords, ZSyncEntity } from "@ml-connector/queues";
import { auditTimeline, connectionStatus, replayRecords } from "@ml-connector/sync";
import { createLogger } from "@ml-connector/runtime";

import type { CliContext } from "../cli-context.js";
import { table } from "../cli-output.js";
import { ProgressPrinter } from "../progress-bar.js";
import { runCommand } from "../run-command.js";

const quiet = createLogger({ service: "cli", level: "warn" });

export function registerOperationCommands(program: Command, context: () => CliContext): void {
  program
    .command("status <connectionId>")
    .description("streams (last run, lag), record counts and the last 24 hours")
    .option("--json", "print as JSON")
    .action((connectionId: string, options: { json?: boolean }) =>
      runCommand(context, options.json === true, async (ctx, out) => {
        const connection = await ctx.connections.get(connectionId);
        const status = await connectionStatus(ctx.prisma, connection.id);
        out.line(`${connection.name} (${connection.id}) — ${connection.status}`);
        out.line(
          table([
            ["STREAM", "LAST RUN", "RESULT", "LAG"],
            ...status.streams.map((stream) => [
              stream.stream,
              stream.lastRunAt ?? "never",
              stream.lastRunStatus ?? "-",
              stream.lagSeconds === null ? "-" : `${stream.lagSeconds} s`,
            ]),
          ]),
        );
        for (const [entity, states] of Object.entries(status.records)) {
          out.line(
            `${entity}: ${Object.entries(states)
              .map(([state, count]) => `${count} ${state}`)
              .join(", ")}`,
          );
        }
        const day = status.last24h;
        out.line(
          `last 24 h: ${day.delivered} delivered, ${day.rejected} rejected, ${day.failed} failed`,
        );
        out.data(status);

        return 0;
      }),
    );

  program
    .command("audit <connectionId> <entity> <externalId>")
    .description("a record's audit timeline (e-mail addresses masked)")
    .option("--json", "print as JSON")
    .action(
      (connectionId: string, entity: string, externalId: string, options: { json?: boolean }) =>
        runCommand(context, options.json === true, async (ctx, out) => {
          const timeline = await auditTimeline(ctx.prisma, connectionId, entity, externalId);
          if (timeline.record === undefined && timeline.events.length === 0) {
            out.problem(`no ${entity} ${externalId} in connection ${connectionId}`);

            return 1;
          }
          out.line(
            `${entity} ${timeline.record?.label ?? externalId}: ${timeline.record?.status ?? "?"}${timeline.record?.reason ? ` — ${timeline.record.reason}` : ""}`,
          );
          out.line(
            table([
              ["WHEN", "STAGE", "REASON", "DETAIL"],
              ...timeline.events.map((event) => [
                event.at,
                event.stage,
                event.reason ?? "",
                JSON.stringify(event.detail),
              ]),
            ]),
          );
          out.data(timeline);

          return 0;
        }),
    );

  program
    .command("replay <connectionId>")
    .description("run records again through the current mapping (customers are re-read from Plex)")
    .option("--entity <entity>", "customer, contact, product or order", "customer")
    .option("--id <externalId...>", "the records to replay")
    .option("--status <status>", "replay every record in this state: rejected or failed")
    .action((connectionId: string, options: { entity: string; id?: string[]; status?: string }) =>
      runCommand(context, false, async (ctx, out) => {
        if (options.id === undefined && options.status === undefined) {
          out.problem("name records with --id or a state with --status rejected|failed");

          return 2;
        }
        const entity = ZSyncEntity.parse(options.entity);
        const connection = await ctx.connections.get(connectionId);
        const writes = createProducer("mailchimpWrite", ctx.redis, ctx.queuePrefix);
        try {
          const clients = await openPlexClients(connection, ctx.clientDeps()).catch(
            () => undefined,
          );
          const result = await replayRecords(
            {
              connection,
              prisma: ctx.prisma,
              log: quiet,
              plex: clients !== undefined && "connect" in clients ? clients.connect : undefined,
              enqueue: (kind, ids) =>
                enqueueWriteRecords(writes, connection.id, kind, ids, { replay: true }),
              operator: "cli",
            },
            {
              entity,
              externalIds: options.id,
              status:
                options.status === undefined
                  ? undefined
                  : (options.status as "rejected" | "failed"),
            },
          );
          out.line(
            `replay queued for ${result.queued} ${entity} record(s); ${result.refreshed} read again from Plex`,
          );

          return result.queued > 0 ? 0 : 1;
        } finally {
          await writes.close();
        }
      }),
    );

  program
    .command("backfill <connectionId>")
    .description(
      "read customers and contacts from Plex (from the start with --from-scratch), showing progress",
    )
    .option("--from-scratch", "forget the cursors and read everything again")
    .option("--no-wait", "queue the polls and return at once")
    .action((connectionId: string, options: { fromScratch?: boolean; wait: boolean }) =>
      runCommand(context, false, async (ctx, out) => {
        const connection = await ctx.connections.get(connectionId);
        if (options.fromScratch === true) {
          await ctx.prisma.syncCursor.deleteMany({
            where: { connectionId: connection.id, stream: { in: ["customers", "contacts"] } },
          });
        }
        const startedAt = new Date();
        const polls = createProducer("plexPoll", ctx.redis, ctx.queuePrefix);
        try {
          // Contacts first, so each customer is written once, with its contacts.
          const contacts = await polls.queue.add("poll-stream", {
            connectionId: connection.id,
            stream: "contacts",
            trigger: "backfill",
          });
          const customers = await polls.queue.add(
            "poll-stream",
            { connectionId: connection.id, stream: "customers", trigger: "backfill" },
            { delay: 1_000 },
          );
          out.line(`backfill queued for ${connection.id} (jobs ${contacts.id}, ${customers.id})`);
          if (!options.wait) return 0;

          const printer = new ProgressPrinter();
          for (;;) {
            await new Promise((resolve) => setTimeout(resolve, 1_000));
            const counts = await ctx.prisma.syncRecord.groupBy({
              by: ["status"],
              where: {
                connectionId: connection.id,
                entity: "customer",
                updatedAt: { gte: startedAt },
              },
              _count: true,
            });
            const total = counts.reduce((sum, row) => sum + row._count, 0);
            const done = counts
              .filter((row) => ["delivered", "rejected"].includes(row.status))
              .reduce((sum, row) => sum + row._count, 0);
            const customersState = await customers.getState();
            const known = customersState === "completed" ? total : undefined;
            if (customersState === "failed") {
              printer.finish({ done, total: known, unit: "customers" });
              out.problem(
                "the customers poll failed: see `ml-connector status` and the poller's log",
              );

              return 1;
            }
            if (known !== undefined && done >= known) {
              printer.finish({ done, total: known, unit: "customers" });
              out.line(`backfill finished: ${done} customers written or rejected`);

              return 0;
            }
            printer.update({ done, total: known, unit: "customers" });
          }
        } finally {
          await polls.close();
        }
      }),
    );
}
