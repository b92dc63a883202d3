/**
 * A real HTTP receiver for webhook tests: records every request (method, headers, raw body and
 * the body parsed the way PHP-style form keys are parsed, by Express's extended urlencoded parser)
 * and answers with whatever status the test sets, optionally after a delay.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import express from "express";

export type TReceivedRequest = {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  form: Record<string, unknown>;
  receivedAt: number;
};

export type TReceiver = {
  url: string;
  requests: TReceivedRequest[];
  /** Status for the next answers: a fixed number or a function of the request count. */
  respondWith: (status: number | ((request: TReceivedRequest, index: number) => number)) => void;
  delayMs: (ms: number) => void;
  waitFor: (count: number, timeoutMs?: number) => Promise<TReceivedRequest[]>;
  close: () => Promise<void>;
};

export async function startWebhookReceiver(): Promise<TReceiver> {
  const requests: TReceivedRequest[] = [];
  let status: number | ((request: TReceivedRequest, index: number) => number) = 200;
  let delay = 0;

  const app = express();
  const keepRaw = (req: http.IncomingMessage, _res: http.ServerResponse, buffer: Buffer) => {
    (req as http.IncomingMessage & { rawBody?: string }).rawBody = buffer.toString("utf8");
  };
  // Express's extended parser (qs) reads PHP-style keys into nested objects.
  app.use(express.urlencoded({ extended: true, limit: "5mb", verify: keepRaw }));
  app.use(express.text({ type: () => true, limit: "5mb", verify: keepRaw }));
  app.all(/.*/, (req, res) => {
    const rawBody = (req as unknown as { rawBody?: string }).rawBody ?? "";
    const form = req.is("application/x-www-form-urlencoded")
      ? (req.body as Record<string, unknown>)
      : {};
    const request: TReceivedRequest = {
      method: req.method,
      path: req.path,
      query: req.query,
      headers: req.headers,
      rawBody,
      form,
      receivedAt: Date.now(),
    };
    requests.push(request);
    const answer = typeof status === "function" ? status(request, requests.length - 1) : status;
    setTimeout(() => {
      if (!res.destroyed) res.status(answer).send("ok");
    }, delay);
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith: (next) => {
      status = next;
    },
    delayMs: (ms) => {
      delay = ms;
    },
    waitFor: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} webhook requests, got ${requests.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }

      return requests;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
