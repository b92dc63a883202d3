/**
 * Reads a request body up to a limit. The API reads bodies itself (instead of a body-parser
 * middleware) so that authentication and the connection limit are decided before a large body is
 * read, and so a malformed body gets Mailchimp's "JSON Parse Error" rather than Express's page.
 */
import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  constructor() {
    super("request body too large");
    this.name = "BodyTooLargeError";
  }
}

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError();
    chunks.push(buffer);
  }

  return Buffer.concat(chunks);
}
