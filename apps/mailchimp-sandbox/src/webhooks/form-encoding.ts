/**
 * List webhook bodies: `application/x-www-form-urlencoded` with PHP-style nested keys
 * (`data[merges][FNAME]=…`), `type` and `fired_at` first ([WH], strangeways gist, §5.1).
 */
import type { TFormTree } from "./list-event.bus.js";

export function encodeWebhookForm(type: string, firedAt: string, data: TFormTree): string {
  const form = new URLSearchParams();
  form.append("type", type);
  form.append("fired_at", firedAt);
  appendTree(form, "data", data);

  return form.toString();
}

function appendTree(form: URLSearchParams, prefix: string, tree: TFormTree): void {
  for (const [key, value] of Object.entries(tree)) {
    const name = `${prefix}[${key}]`;
    if (typeof value === "string") form.append(name, value);
    else appendTree(form, name, value);
  }
}
