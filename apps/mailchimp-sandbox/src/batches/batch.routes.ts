/**
 * `/batches`: submit a job (answered at once with status "pending"), read its status, list jobs,
 * stop one ([BATCH], reference §3.7). The job itself runs in batch.runner.ts.
 */
import { noContent, ok, page, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { resourceLinks } from "../api/links.js";
import { problems } from "../http/api-problem.js";
import type { TBatch, TBatchOperation } from "../state/batch.model.js";
import { param } from "../lists/list.lookup.js";

function serialize(apiBase: string, batch: TBatch): Record<string, unknown> {
  return {
    id: batch.id,
    status: batch.status,
    total_operations: batch.total_operations,
    finished_operations: batch.finished_operations,
    errored_operations: batch.errored_operations,
    submitted_at: batch.submitted_at,
    completed_at: batch.completed_at,
    response_body_url: batch.response_body_url,
    _links: resourceLinks(apiBase, `/batches/${batch.id}`, "/batches"),
  };
}

function requireBatch(call: TApiCall): TBatch {
  const batch = call.account.batches.get(param(call.params, "batch_id"));
  if (batch === undefined) throw problems.notFound();

  return batch;
}

export const BATCH_ROUTES: TApiRoute[] = [
  {
    method: "post",
    path: "/batches",
    handle: (call, ctx) => {
      const { operations } = call.body as { operations: TBatchOperation[] };
      const max = ctx.options.batches.maxOperations;
      if (operations.length > max) {
        throw problems.invalidResource([
          {
            field: "operations",
            message: `A batch may hold at most ${max} operations in the sandbox`,
          },
        ]);
      }

      return ok(serialize(call.apiBase, ctx.batches.submit(call.account, operations)));
    },
  },
  {
    method: "get",
    path: "/batches",
    handle: (call) => {
      const batches = [...call.account.batches.values()];

      return ok({
        batches: page(batches, call.query).map((batch) => serialize(call.apiBase, batch)),
        total_items: batches.length,
        _links: [],
      });
    },
  },
  {
    method: "get",
    path: "/batches/{batch_id}",
    handle: (call) => ok(serialize(call.apiBase, requireBatch(call))),
  },
  {
    method: "delete",
    path: "/batches/{batch_id}",
    handle: (call, ctx) => {
      ctx.batches.cancel(call.account, requireBatch(call));

      return noContent();
    },
  },
];
