/**
 * Bull Board over every queue of the registry. Read-only unless CONSOLE_BULL_BOARD_WRITABLE is
 * set: Bull Board's own retry/clean buttons bypass the audit trail, so they are opt-in.
 */
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { Router } from "express";

export const BULL_BOARD_PATH = "/admin/queues";

export function bullBoardRouter(queues: Queue[], writable: boolean): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: !writable })),
    serverAdapter,
    options: { uiConfig: { boardTitle: "ml-connector" } },
  });

  return serverAdapter.getRouter() as Router;
}
