/** The console's landing page. */
// TODO(#8): connections with live status, audit timelines, failed/rejected lists and replay.
import { Router } from "express";

import { page } from "./page.js";

export function homeRoutes(): Router {
  const router = Router();

  router.get("/", (_req, res) => {
    res.type("html").send(
      page(
        "Console",
        `<nav><a href="/">Overview</a><a href="/admin/queues">Queues (Bull Board)</a>
        <form method="post" action="/logout" style="display:inline"><button>Sign out</button></form></nav>
        <h1>ml-connector</h1>
        <p>Queues and their jobs: see Bull Board.</p>`,
      ),
    );
  });

  return router;
}
