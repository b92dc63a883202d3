/**
 * A `/batches` job ([BATCH], reference/mailchimp-api.md §3.7): submitted operations, the status it
 * moves through and the counters Mailchimp reports. Operations are dropped once the job finishes;
 * the results live on in the gzipped tar served at response_body_url.
 */
export type TBatchStatus = "pending" | "preprocessing" | "started" | "finalizing" | "finished";

export type TBatchOperation = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  params?: Record<string, unknown>;
  body?: string;
  operation_id?: string;
};

export type TBatchResult = { status_code: number; operation_id: string | null; response: string };

export type TBatch = {
  id: string;
  status: TBatchStatus;
  total_operations: number;
  finished_operations: number;
  errored_operations: number;
  submitted_at: string;
  completed_at: string;
  response_body_url: string;
  operations: TBatchOperation[];
  results: TBatchResult[];
  cancelled: boolean;
};
