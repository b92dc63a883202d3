/**
 * The public routes (the Kubernetes Ingress sends only /webhooks/… here):
 * - GET|HEAD|POST /webhooks/mailchimp/:connectionId/:secret — Mailchimp list webhooks. GET and an
 *   empty POST are Mailchimp's URL check (reference mailchimp-api.md §5.1) and answer 200.
 * - GET|HEAD|POST /webhooks/mandrill/:connectionId — Mandrill webhooks, signed.
 * Every answer for client input is 2xx or 4xx; 503 only when our own storage is down.
 */
import express, { type NextFunction, type Request, type Response, type Router } from "express";

import {
  WebhookInputError,
  type TIntakeAnswer,
  type WebhookIntake,
} from "@ml-connector/engagement";
import type { Logger } from "@ml-connector/runtime";

import { hasBody, readTextBody, requireForm } from "./request-body.reader.js";

export type TWebhookRouteLimits = { mailchimpMaxBytes: number; mandrillMaxBytes: number };

const ALLOWED = "GET, HEAD, POST";

function send(res: Response, answer: TIntakeAnswer): void {
  if (answer.status === 503) res.setHeader("Retry-After", "30");
  res.status(answer.status).json(answer.body);
}

function sendError(res: Response, err: unknown, log: Logger): void {
  if (res.headersSent) return;
  if (err instanceof WebhookInputError) {
    send(res, { status: err.status, body: { error: err.message } });

    return;
  }
  log.error({ err }, "webhook request failed");
  send(res, {
    status: 503,
    body: { error: "temporarily unable to store deliveries, retry later" },
  });
}

export function webhookRouter(
  intake: WebhookIntake,
  limits: TWebhookRouteLimits,
  log: Logger,
): Router {
  const router = express.Router();

  router.all("/webhooks/mailchimp/:connectionId/:secret", async (req: Request, res: Response) => {
    try {
      if (!["GET", "HEAD", "POST"].includes(req.method)) {
        res.setHeader("Allow", ALLOWED);
        send(res, { status: 405, body: { error: "method not allowed" } });

        return;
      }
      const { connectionId, secret } = req.params as { connectionId: string; secret: string };
      const refused = await intake.checkMailchimpRoute(connectionId, secret);
      if (refused !== undefined) return send(res, refused);
      if (req.method !== "POST" || !hasBody(req)) {
        return send(res, { status: 200, body: { status: "ok" } });
      }
      requireForm(req);
      const body = await readTextBody(req, res, limits.mailchimpMaxBytes);
      send(res, await intake.receiveMailchimp(connectionId, body));
    } catch (err) {
      sendError(res, err, log);
    }
  });

  router.all("/webhooks/mandrill/:connectionId", async (req: Request, res: Response) => {
    try {
      if (!["GET", "HEAD", "POST"].includes(req.method)) {
        res.setHeader("Allow", ALLOWED);
        send(res, { status: 405, body: { error: "method not allowed" } });

        return;
      }
      const { connectionId } = req.params as { connectionId: string };
      const refused = await intake.checkMandrillRoute(connectionId);
      if (refused !== undefined) return send(res, refused);
      // Mandrill checks that the URL exists before it posts (reportedly with HEAD, §5.2 (b)).
      if (req.method !== "POST") return send(res, { status: 200, body: { status: "ok" } });
      let body = "";
      if (hasBody(req)) {
        requireForm(req);
        body = await readTextBody(req, res, limits.mandrillMaxBytes);
      }
      const signature = req.headers["x-mandrill-signature"];
      send(
        res,
        await intake.receiveMandrill(
          connectionId,
          req.originalUrl,
          body,
          typeof signature === "string" ? signature : undefined,
        ),
      );
    } catch (err) {
      sendError(res, err, log);
    }
  });

  router.all("/webhooks/{*rest}", (_req: Request, res: Response) => {
    send(res, { status: 404, body: { error: "not found" } });
  });

  // Errors raised before a handler runs (a path that cannot be decoded) are the client's.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      res.status(status).json({ error: "bad request" });

      return;
    }
    sendError(res, err, log);
  });

  return router;
}
