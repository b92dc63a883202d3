/** Finds an account's audience or answers 404 Resource Not Found, as Mailchimp does. */
import { problems } from "../http/api-problem.js";
import type { TAccount } from "../state/account.model.js";
import type { TAudience } from "../state/audience.model.js";

export function requireList(account: TAccount, listId: string | undefined): TAudience {
  const list = listId === undefined ? undefined : account.lists.get(listId);
  if (list === undefined) throw problems.notFound();

  return list;
}

export function param(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined) throw problems.notFound();

  return value;
}
