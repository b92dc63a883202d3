/**
 * The console's pages: plain server-rendered HTML, no front-end framework. Connections with their
 * live status, a connection's streams and record counts with "test", "sync now" and "replay"
 * buttons, lists of records by state, and a record's audit timeline. Forms post back here and are
 * redirected (303) to the page they came from.
 */
import express, { Router, type Request, type Response } from "express";

import { checkConnection, type TConnectionView } from "@ml-connector/connections";
import type { TPlexStream } from "@ml-connector/queues";
import { auditTimeline, connectionStatus, listRecords } from "@ml-connector/sync";

import { replayFor, type TOperationsDeps } from "./operations.routes.js";
import { escapeHtml as e, page } from "./page.js";

export type TPagesDeps = TOperationsDeps & {
  syncNow: (connectionId: string, streams: TPlexStream[]) => Promise<string[]>;
};

const nav = `<nav><a href="/">Connections</a><a href="/admin/queues">Queues (Bull Board)</a>
  <form method="post" action="/logout" style="display:inline"><button>Sign out</button></form></nav>`;

function notice(req: Request): string {
  const text = typeof req.query.notice === "string" ? req.query.notice : "";

  return text === "" ? "" : `<p class="notice" role="status">${e(text)}</p>`;
}

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((header) => `<th>${e(header)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`)
    .join("");

  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function back(res: Response, path: string, message: string): void {
  res.redirect(303, `${path}?notice=${encodeURIComponent(message)}`);
}

function describe(connection: TConnectionView): string {
  return `${e(connection.name)} <small>(${e(connection.id)})</small>`;
}

export function pagesRoutes(deps: TPagesDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: "64kb" });
  const fail = (res: Response, err: unknown) => {
    const missing = err instanceof Error && err.name === "ConnectionError";
    if (!missing) deps.log.error({ err }, "console page failed");
    res
      .status(missing ? 404 : 500)
      .type("html")
      .send(page("Problem", `${nav}<h1>${missing ? "Not found" : "Something went wrong"}</h1>`));
  };

  router.get("/", (req, res) => {
    void (async () => {
      const connections = await deps.connections.list();
      const rows = await Promise.all(
        connections.map(async (connection) => {
          const status = await connectionStatus(deps.prisma, connection.id);
          const lag = Math.max(...status.streams.map((stream) => stream.lagSeconds ?? 0), 0);

          return [
            `<a href="/connections/${encodeURIComponent(connection.id)}">${describe(connection)}</a>`,
            e(connection.status),
            e(
              status.streams
                .map((stream) => `${stream.stream}: ${stream.lastRunStatus ?? "never"}`)
                .join(", "),
            ),
            `${lag} s`,
            String(status.last24h.delivered),
            `<a href="/connections/${encodeURIComponent(connection.id)}/records?status=rejected">${status.last24h.rejected}</a>`,
            String(status.last24h.failed),
          ];
        }),
      );
      res
        .type("html")
        .send(
          page(
            "Connections",
            `${nav}${notice(req)}<h1>Connections</h1>${
              rows.length === 0
                ? "<p>No connections yet. Add one with <code>ml-connector connections add</code>.</p>"
                : table(
                    [
                      "Connection",
                      "Status",
                      "Streams",
                      "Lag",
                      "Delivered 24 h",
                      "Rejected 24 h",
                      "Failed 24 h",
                    ],
                    rows,
                  )
            }`,
          ),
        );
    })().catch((err: unknown) => fail(res, err));
  });

  router.get("/connections/:id", (req, res) => {
    void (async () => {
      const connection = await deps.connections.get(String(req.params.id));
      const status = await connectionStatus(deps.prisma, connection.id);
      const base = `/connections/${encodeURIComponent(connection.id)}`;
      const streams = table(
        ["Stream", "Last run", "Result", "Lag"],
        status.streams.map((stream) => [
          e(stream.stream),
          e(stream.lastRunAt ?? "never"),
          e(stream.lastRunStatus ?? "-"),
          stream.lagSeconds === null ? "-" : `${stream.lagSeconds} s`,
        ]),
      );
      const counts = table(
        ["Records", "State", "Count"],
        Object.entries(status.records).flatMap(([entity, states]) =>
          Object.entries(states).map(([state, count]) => [
            e(entity),
            `<a href="${base}/records?entity=${e(entity)}&status=${e(state)}">${e(state)}</a>`,
            String(count),
          ]),
        ),
      );
      res.type("html").send(
        page(
          connection.name,
          `${nav}${notice(req)}<h1>${describe(connection)}</h1>
          <p>Plex ${e(connection.plex.authScheme)} → ${e(connection.plex.baseUrl)} ·
             Mailchimp ${e(connection.mailchimp.authScheme)} ${e(connection.mailchimp.dc ?? "")},
             audience ${e(connection.mailchimp.listId ?? "")} · time zone ${e(connection.timezone)}</p>
          <form method="post" action="${base}/test" style="display:inline"><button>Test connection</button></form>
          <form method="post" action="${base}/sync" style="display:inline"><button>Sync now</button></form>
          <form method="post" action="${base}/replay" style="display:inline">
            <input type="hidden" name="status" value="rejected"><button>Replay all rejected</button></form>
          <h2>Streams</h2>${streams}
          <h2>Records</h2>${counts}
          <p>Last 24 h: ${status.last24h.delivered} delivered, ${status.last24h.rejected} rejected,
             ${status.last24h.failed} failed.</p>`,
        ),
      );
    })().catch((err: unknown) => fail(res, err));
  });

  router.post("/connections/:id/test", (req, res) => {
    void (async () => {
      const connection = await deps.connections.get(String(req.params.id));
      const check = await checkConnection(connection, deps.clientDeps);
      back(
        res,
        `/connections/${encodeURIComponent(connection.id)}`,
        `Plex: ${check.plex.message} Mailchimp: ${check.mailchimp.message}`,
      );
    })().catch((err: unknown) => fail(res, err));
  });

  router.post("/connections/:id/sync", (req, res) => {
    void (async () => {
      const connection = await deps.connections.get(String(req.params.id));
      await deps.syncNow(connection.id, ["contacts", "customers"]);
      back(
        res,
        `/connections/${encodeURIComponent(connection.id)}`,
        "Sync started for customers and contacts.",
      );
    })().catch((err: unknown) => fail(res, err));
  });

  router.post("/connections/:id/replay", form, (req, res) => {
    void (async () => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const externalId =
        typeof body.externalId === "string" && body.externalId !== "" ? body.externalId : undefined;
      const entity =
        typeof body.entity === "string" && body.entity !== "" ? body.entity : "customer";
      const result = await replayFor(
        deps,
        String(req.params.id),
        {
          entity: entity as "customer",
          externalIds: externalId === undefined ? undefined : [externalId],
          status: externalId === undefined ? "rejected" : undefined,
        },
        res.locals.operator as string,
      );
      const target =
        typeof body.back === "string" && body.back.startsWith("/connections/")
          ? body.back
          : `/connections/${encodeURIComponent(String(req.params.id))}`;
      back(
        res,
        target,
        `Replay queued for ${result.queued} record(s); ${result.refreshed} read again from Plex.`,
      );
    })().catch((err: unknown) => fail(res, err));
  });

  router.get("/connections/:id/records", (req, res) => {
    void (async () => {
      const connection = await deps.connections.get(String(req.params.id));
      const pick = (name: string) =>
        typeof req.query[name] === "string" && req.query[name] !== ""
          ? String(req.query[name])
          : undefined;
      const filter = {
        entity: pick("entity"),
        status: pick("status"),
        search: pick("search"),
        limit: 200,
      };
      const records = await listRecords(deps.prisma, connection.id, filter);
      const base = `/connections/${encodeURIComponent(connection.id)}`;
      const here = `${base}/records`;
      const rows = records.map((record) => [
        e(record.entity),
        `<a class="record" href="${base}/records/${e(record.entity)}/${encodeURIComponent(record.externalId)}">${e(record.label ?? record.externalId)}</a>`,
        `<span class="status">${e(record.status)}</span>`,
        e(record.reason ?? ""),
        String(record.attempts),
        `<form method="post" action="${base}/replay"><input type="hidden" name="entity" value="${e(record.entity)}">
          <input type="hidden" name="externalId" value="${e(record.externalId)}">
          <input type="hidden" name="back" value="${e(here)}"><button>Replay</button></form>`,
      ]);
      res.type("html").send(
        page(
          "Records",
          `${nav}${notice(req)}<h1>Records of ${describe(connection)}</h1>
          <form method="get" action="${here}">
            <label>Entity <input name="entity" value="${e(filter.entity ?? "")}"></label>
            <label>State <input name="status" value="${e(filter.status ?? "")}"></label>
            <label>Search <input name="search" value="${e(filter.search ?? "")}"></label>
            <button>Filter</button></form>
          ${table(["Entity", "Record", "State", "Reason", "Attempts", ""], rows)}`,
        ),
      );
    })().catch((err: unknown) => fail(res, err));
  });

  router.get("/connections/:id/records/:entity/:externalId", (req, res) => {
    void (async () => {
      const connection = await deps.connections.get(String(req.params.id));
      const entity = String(req.params.entity);
      const externalId = String(req.params.externalId);
      const timeline = await auditTimeline(deps.prisma, connection.id, entity, externalId);
      const base = `/connections/${encodeURIComponent(connection.id)}`;
      const here = `${base}/records/${encodeURIComponent(entity)}/${encodeURIComponent(externalId)}`;
      res.type("html").send(
        page(
          "Audit timeline",
          `${nav}${notice(req)}<h1>${e(entity)} ${e(timeline.record?.label ?? externalId)}</h1>
          <p>State: <strong id="record-status">${e(timeline.record?.status ?? "unknown")}</strong>
             ${timeline.record?.reason ? `— ${e(timeline.record.reason)}` : ""}</p>
          <form method="post" action="${base}/replay"><input type="hidden" name="entity" value="${e(entity)}">
            <input type="hidden" name="externalId" value="${e(externalId)}">
            <input type="hidden" name="back" value="${e(here)}"><button>Replay</button></form>
          ${table(
            ["When", "Stage", "Reason", "Detail", "Job", "Attempt"],
            timeline.events.map((event) => [
              e(event.at),
              e(event.stage),
              e(event.reason ?? ""),
              `<code>${e(JSON.stringify(event.detail))}</code>`,
              e(event.jobId ?? ""),
              e(String(event.attempt ?? "")),
            ]),
          )}`,
        ),
      );
    })().catch((err: unknown) => fail(res, err));
  });

  return router;
}
