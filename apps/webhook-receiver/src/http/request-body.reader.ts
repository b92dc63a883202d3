/**
 * Reads a webhook request body with the limits the route sets: the content type must be a form
 * (415 otherwise), the body at most `limitBytes` after decompression (413), valid UTF-8 (400).
 * Uses Express's own raw body reader, so aborted, oversized and wrongly encoded bodies are told
 * apart the way body-parser does.
 */
import express, { type Request, type Response } from "express";

import { WebhookInputError } from "@ml-connector/engagement";

const FORM = "application/x-www-form-urlencoded";

/** Whether the request says it has a body at all (an empty POST is Mailchimp's URL check). */
export function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  if (req.headers["transfer-encoding"] !== undefined) return true;

  return length !== undefined && length !== "0";
}

/** 415 unless the content type is a form in UTF-8 (or with no charset, which means the same). */
export function requireForm(req: Request): void {
  const header = req.headers["content-type"];
  if (header === undefined) throw new WebhookInputError(415, `Content-Type must be ${FORM}`);
  const [type, ...params] = header.split(";").map((part) => part.trim().toLowerCase());
  if (type !== FORM) throw new WebhookInputError(415, `Content-Type must be ${FORM}`);
  for (const param of params) {
    const [name, value] = param.split("=").map((part) => part.trim().replace(/^"|"$/g, ""));
    if (name === "charset" && value !== "utf-8" && value !== "utf8") {
      throw new WebhookInputError(415, "the form must be UTF-8");
    }
  }
}

type TParserError = { status?: unknown; type?: unknown };

/** One body reader per size limit, made once (the routes use two). */
const parsers = new Map<number, ReturnType<typeof express.raw>>();
const UTF8 = new TextDecoder("utf-8", { fatal: true });

export async function readTextBody(
  req: Request,
  res: Response,
  limitBytes: number,
): Promise<string> {
  let parser = parsers.get(limitBytes);
  if (parser === undefined) {
    parser = express.raw({ type: () => true, limit: limitBytes, inflate: true });
    parsers.set(limitBytes, parser);
  }
  await new Promise<void>((resolve, reject) => {
    parser(req, res, (err?: unknown) =>
      err === undefined ? resolve() : reject(toInputError(err)),
    );
  });
  const raw: unknown = req.body;
  if (!Buffer.isBuffer(raw)) return "";
  try {
    return UTF8.decode(raw);
  } catch {
    throw new WebhookInputError(400, "the body is not valid UTF-8");
  }
}

function toInputError(err: unknown): WebhookInputError {
  const { status, type } = (err ?? {}) as TParserError;
  if (type === "entity.too.large" || status === 413) {
    return new WebhookInputError(413, "the body is larger than this webhook accepts");
  }
  if (status === 415) return new WebhookInputError(415, "the body's encoding is not supported");

  return new WebhookInputError(400, "the body could not be read");
}
