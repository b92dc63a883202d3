/**
 * The control API under /_sandbox (no Mailchimp path starts with "_"): set up accounts, audiences
 * and stores; simulate subscribers and campaigns; move the clock; inject faults; inspect what was
 * written, delivered and counted. Bodies are JSON and validated with zod; a bad one gets 400 with
 * the issues, an unknown account or list 404. No authentication: never expose it publicly.
 */
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";

import {
  serializeOrder,
  serializeProduct,
  serializeStore,
} from "../ecommerce/ecommerce.serializer.js";
import { ApiProblem } from "../http/api-problem.js";
import { serializeList } from "../lists/list.serializer.js";
import { serializeMember } from "../members/member.serializer.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TAccount } from "../state/account.model.js";
import { ControlError, handler } from "./control-http.js";
import { operationsRouter } from "./operations.routes.js";
import {
  provisionAccount,
  provisionList,
  provisionStore,
  ZNewAccount,
  ZNewList,
  ZNewStore,
} from "./provisioning.js";
import { applySubscriberAction } from "./subscriber-actions.js";

export function requireAccount(ctx: SandboxContext, id: string | string[] | undefined): TAccount {
  const account = typeof id === "string" ? ctx.accounts.get(id) : undefined;
  if (account === undefined) throw new ControlError(404, "no such account");

  return account;
}

function routeParam(req: Request, name: string): string {
  const value = req.params[name];

  return typeof value === "string" ? value : "";
}

function requireList(ctx: SandboxContext, req: Request) {
  const account = requireAccount(ctx, req.params.accountId);
  const list = account.lists.get(routeParam(req, "listId"));
  if (list === undefined) throw new ControlError(404, "no such list");

  return { account, list };
}

export function controlRouter(ctx: SandboxContext): Router {
  const router = Router();
  router.use(express.json({ limit: "10mb" }));

  router.get(
    "/accounts",
    handler((_req, res) => {
      res.json(ctx.accounts.all().map((account) => describeAccount(ctx, account)));
    }),
  );
  router.post(
    "/accounts",
    handler((req, res) => {
      const created = provisionAccount(ctx, ZNewAccount.parse(req.body ?? {}));
      res.status(201).json({ ...describeAccount(ctx, created.account), apiKey: created.apiKey });
    }),
  );
  router.get(
    "/accounts/:accountId",
    handler((req, res) => {
      res.json(describeAccount(ctx, requireAccount(ctx, req.params.accountId)));
    }),
  );
  router.post(
    "/accounts/:accountId/api-keys",
    handler((req, res) => {
      const account = requireAccount(ctx, req.params.accountId);
      res.status(201).json({ apiKey: ctx.accounts.addApiKey(account) });
    }),
  );
  router.post(
    "/accounts/:accountId/lists",
    handler((req, res) => {
      const account = requireAccount(ctx, req.params.accountId);
      const list = provisionList(ctx, account, ZNewList.parse(req.body ?? {}));
      res.status(201).json(serializeList(ctx.apiBase(account.dc), account, list));
    }),
  );
  router.post(
    "/accounts/:accountId/stores",
    handler((req, res) => {
      const account = requireAccount(ctx, req.params.accountId);
      const store = provisionStore(ctx, account, ZNewStore.parse(req.body ?? {}));
      res.status(201).json(serializeStore(ctx.apiBase(account.dc), store, true));
    }),
  );

  router.get(
    "/accounts/:accountId/lists/:listId/members",
    handler((req, res) => {
      const { account, list } = requireList(ctx, req);
      const status = typeof req.query.status === "string" ? req.query.status : undefined;
      const members = [...list.members.values()].filter(
        (member) => status === undefined || member.status === status,
      );
      res.json({
        total_items: members.length,
        forgotten: list.forgotten.size,
        members: members.map((member) => ({
          ...serializeMember(ctx.apiBase(account.dc), list, member),
          compliance_hold: member.compliance_hold,
        })),
      });
    }),
  );
  router.get(
    "/accounts/:accountId/lists/:listId/webhooks",
    handler((req, res) => {
      const { list } = requireList(ctx, req);
      res.json([...list.webhooks.values()]);
    }),
  );
  router.post(
    "/accounts/:accountId/lists/:listId/subscriber-actions",
    handler((req, res) => {
      const { account, list } = requireList(ctx, req);
      const member = applySubscriberAction(ctx, account, list, req.body as never);
      res.json(serializeMember(ctx.apiBase(account.dc), list, member));
    }),
  );
  router.post(
    "/accounts/:accountId/campaigns",
    handler((req, res) => {
      const account = requireAccount(ctx, req.params.accountId);
      const campaign = ctx.campaigns.send(account, req.body as never);
      res.status(201).json({
        id: campaign.id,
        listId: campaign.list_id,
        recipients: campaign.recipients.length,
        sendTime: campaign.send_time,
        activity: campaign.activity.map((event) => ({
          email: event.email,
          action: event.action,
          at: new Date(event.atMs).toISOString(),
          url: event.url,
          detail: event.detail,
        })),
      });
    }),
  );
  router.get(
    "/accounts/:accountId/stores/:storeId",
    handler((req, res) => {
      const account = requireAccount(ctx, req.params.accountId);
      const store = account.stores.get(routeParam(req, "storeId"));
      if (store === undefined) throw new ControlError(404, "no such store");
      const apiBase = ctx.apiBase(account.dc);
      res.json({
        store: serializeStore(apiBase, store, account.lists.has(store.list_id)),
        customers: [...store.customers.values()],
        products: [...store.products.values()].map((product) =>
          serializeProduct(apiBase, store, product),
        ),
        orders: [...store.orders.values()].map((order) => serializeOrder(apiBase, store, order)),
      });
    }),
  );
  router.get(
    "/accounts/:accountId/batches",
    handler((req, res) => {
      const account = requireAccount(ctx, req.params.accountId);
      res.json(
        [...account.batches.values()].map(({ operations, results, ...batch }) => ({
          ...batch,
          pending_operations: operations.length - results.length,
        })),
      );
    }),
  );

  router.use(operationsRouter(ctx));
  router.use(controlErrors(ctx));

  return router;
}

function describeAccount(ctx: SandboxContext, account: TAccount) {
  return {
    id: account.id,
    dc: account.dc,
    name: account.name,
    baseUrl: ctx.apiBase(account.dc),
    lists: [...account.lists.keys()],
    stores: [...account.stores.keys()],
    stats: { ...account.stats },
  };
}

function controlErrors(ctx: SandboxContext) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof z.ZodError) {
      res.status(400).json({ error: "invalid request", issues: err.issues });
      return;
    }
    if (err instanceof ControlError) {
      res.status(err.status).json({ error: err.message });
      return;
    }
    if (err instanceof ApiProblem) {
      res.status(err.status).json({ error: err.title, detail: err.detail, errors: err.errors });
      return;
    }
    if (err instanceof RangeError || err instanceof SyntaxError) {
      res.status(400).json({ error: err.message });
      return;
    }
    const status = (err as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      res.status(status).json({ error: err instanceof Error ? err.message : "bad request" });
      return;
    }
    ctx.log.error({ err }, "control request failed");
    res.status(500).json({ error: "internal error" });
  };
}
