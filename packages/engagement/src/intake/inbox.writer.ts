/**
 * The durable half of "durable before 2xx": webhook deliveries go into webhook_inbox, and a
 * request is answered only after its row is committed. Inserts are group-committed: requests
 * arriving while a flush is running wait for the next one, so under load one INSERT (one WAL
 * flush) carries many deliveries and throughput holds; a lone request is written at once.
 * Duplicates (Mailchimp retries carry no delivery id) meet the unique (connection_id, content_key)
 * and are reported as such, with no second row.
 */
import type { TSqlPool } from "@ml-connector/db";

export type TInboxSource = "mailchimp" | "mandrill";

export type TInboxEntry = {
  connectionId: string;
  source: TInboxSource;
  contentKey: string;
  eventType: string;
  firedAt: Date | undefined;
  payload: unknown;
};

export type TInboxOutcome = { id: string; duplicate: false } | { id?: undefined; duplicate: true };

export type TStoredRow = { id: string; connectionId: string };

export type TInboxWriterOptions = {
  /** Rows per INSERT at most. */
  maxBatch?: number;
  /** INSERTs in flight at once (each holds a pool connection). */
  maxInFlight?: number;
  /** Called after each commit with the rows that are new. */
  onStored?: (rows: TStoredRow[]) => void;
};

/** Postgres is unreachable or failing: the sender must retry (503). */
export class InboxUnavailableError extends Error {
  constructor(cause: unknown) {
    super("the webhook inbox cannot be written", { cause });
    this.name = "InboxUnavailableError";
  }
}

/** A row Postgres refused for its content (SQLSTATE class 22: data exception). */
export class InboxRowRefusedError extends Error {
  constructor(cause: unknown) {
    super("the delivery cannot be stored", { cause });
    this.name = "InboxRowRefusedError";
  }
}

type TWaiter = {
  entry: TInboxEntry;
  resolve: (outcome: TInboxOutcome) => void;
  reject: (err: Error) => void;
};

const INSERT = `
  INSERT INTO webhook_inbox (connection_id, source, content_key, event_type, fired_at, payload,
    status, received_at)
  SELECT row.connection_id, row.source, row.content_key, row.event_type, row.fired_at, row.payload,
    'pending', now()
  FROM jsonb_to_recordset($1::jsonb) AS row (connection_id text, source text, content_key text,
    event_type text, fired_at timestamptz, payload jsonb)
  ON CONFLICT (connection_id, content_key) DO NOTHING
  RETURNING id::text, connection_id, content_key`;

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;

  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export class InboxWriter {
  private pending: TWaiter[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  /** Counters for metrics and the benchmark. */
  readonly stats = { flushes: 0, rows: 0, duplicates: 0, largestBatch: 0 };

  constructor(
    private readonly sql: TSqlPool,
    private readonly options: TInboxWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Resolves once every entry is committed (or known to be a duplicate). */
  write(entries: TInboxEntry[]): Promise<TInboxOutcome[]> {
    return Promise.all(
      entries.map(
        (entry) =>
          new Promise<TInboxOutcome>((resolve, reject) => {
            this.pending.push({ entry, resolve, reject });
            this.kick();
          }),
      ),
    );
  }

  private kick(): void {
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    // Deliveries that arrive in the same turn of the event loop share the flush.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.pending.length > 0 && this.inFlight < this.maxInFlight) {
        // With a flush already running, take only a full batch; the rest waits for the commit.
        if (this.inFlight > 0 && this.pending.length < this.maxBatch) break;
        const batch = this.pending.splice(0, this.maxBatch);
        this.inFlight += 1;
        void this.flush(batch).finally(() => {
          this.inFlight -= 1;
          this.kick();
        });
      }
    });
  }

  private async flush(batch: TWaiter[]): Promise<void> {
    try {
      const stored = await this.insert(batch.map((waiter) => waiter.entry));
      this.settle(batch, stored);
    } catch (err) {
      if (sqlState(err)?.startsWith("22") === true && batch.length > 1) {
        // One row's content poisoned the statement: write the others one by one.
        for (const waiter of batch) await this.flush([waiter]);

        return;
      }
      const error =
        sqlState(err)?.startsWith("22") === true
          ? new InboxRowRefusedError(err)
          : new InboxUnavailableError(err);
      for (const waiter of batch) waiter.reject(error);
    }
  }

  private async insert(entries: TInboxEntry[]): Promise<Map<string, string>> {
    const document = JSON.stringify(
      entries.map((entry) => ({
        connection_id: entry.connectionId,
        source: entry.source,
        content_key: entry.contentKey,
        event_type: entry.eventType,
        fired_at: entry.firedAt?.toISOString() ?? null,
        payload: entry.payload,
      })),
    );
    const result = await this.sql.query<{ id: string; connection_id: string; content_key: string }>(
      INSERT,
      [document],
    );
    this.stats.flushes += 1;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, entries.length);
    const stored = new Map<string, string>();
    for (const row of result.rows)
      stored.set(`${row.connection_id}\u0000${row.content_key}`, row.id);

    return stored;
  }

  private settle(batch: TWaiter[], stored: Map<string, string>): void {
    const fresh: TStoredRow[] = [];
    for (const waiter of batch) {
      const key = `${waiter.entry.connectionId}\u0000${waiter.entry.contentKey}`;
      const id = stored.get(key);
      if (id === undefined) {
        this.stats.duplicates += 1;
        waiter.resolve({ duplicate: true });
        continue;
      }
      // A second copy in the same batch is a duplicate of the first.
      stored.delete(key);
      this.stats.rows += 1;
      fresh.push({ id, connectionId: waiter.entry.connectionId });
      waiter.resolve({ id, duplicate: false });
    }
    if (fresh.length > 0) this.options.onStored?.(fresh);
  }
}
