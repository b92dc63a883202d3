/**
 * Creating accounts, audiences and stores outside the API: the sandbox-mode defaults at start-up
 * and the control API both come through here.
 */
import { z } from "zod";

import { createAudience } from "../lists/audience.factory.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TAccount } from "../state/account.model.js";
import type { TAudience } from "../state/audience.model.js";
import type { TStore } from "../state/ecommerce.model.js";
import { ControlError } from "./control-http.js";

export const ZNewAccount = z.object({
  dc: z
    .string()
    .regex(/^[a-z]+\d+$/)
    .default("us21"),
  name: z.string().min(1).max(100).optional(),
  apiKey: z
    .string()
    .regex(/^[0-9a-f]{32}-[a-z]+\d+$/)
    .optional(),
});

export const ZNewList = z.object({
  id: z
    .string()
    .regex(/^[0-9a-z]{4,20}$/)
    .optional(),
  name: z.string().min(1).max(100).default("Sandbox audience"),
  doubleOptin: z.boolean().default(false),
});

export const ZNewStore = z.object({
  id: z.string().min(1).max(50),
  listId: z.string(),
  name: z.string().min(1).max(100).default("Sandbox store"),
  currencyCode: z.string().length(3).default("USD"),
});

export function provisionAccount(ctx: SandboxContext, input: z.output<typeof ZNewAccount>) {
  return ctx.accounts.create({ dc: input.dc, name: input.name, apiKey: input.apiKey });
}

export function provisionList(
  ctx: SandboxContext,
  account: TAccount,
  input: z.output<typeof ZNewList>,
): TAudience {
  const id = input.id ?? ctx.ids.hex(10);
  if (account.lists.has(id)) throw new ControlError(409, "list id already in use");
  const list = createAudience({
    id,
    webId: ctx.ids.nextWebId(),
    name: input.name,
    createdAt: ctx.clock.isoNow(),
    doubleOptin: input.doubleOptin,
  });
  account.lists.set(id, list);

  return list;
}

export function provisionStore(
  ctx: SandboxContext,
  account: TAccount,
  input: z.output<typeof ZNewStore>,
): TStore {
  if (!account.lists.has(input.listId)) throw new ControlError(404, "no such list");
  if (account.stores.has(input.id)) throw new ControlError(409, "store id already in use");
  const now = ctx.clock.isoNow();
  const store: TStore = {
    id: input.id,
    list_id: input.listId,
    name: input.name,
    currency_code: input.currencyCode,
    platform: "Plex Manufacturing Cloud",
    created_at: now,
    updated_at: now,
    customers: new Map(),
    products: new Map(),
    orders: new Map(),
  };
  account.stores.set(store.id, store);

  return store;
}
