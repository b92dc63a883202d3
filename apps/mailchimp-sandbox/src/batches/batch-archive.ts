/**
 * The results of a `/batches` job as Mailchimp hands them out: a gzipped tar of JSON files, each
 * an array of `{status_code, operation_id, response}` where `response` is the operation's JSON
 * body as a string ([BATCH], reference §3.7). File names and the split per file are not
 * documented; the sandbox writes `<batch_id>-<n>.json` with up to 1000 results each.
 */
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { Writable } from "node:stream";

import tarStream from "tar-stream";

import type { TBatchResult } from "../state/batch.model.js";

export const RESULTS_PER_FILE = 1000;

export async function buildResultsArchive(
  batchId: string,
  results: TBatchResult[],
  mtime: Date,
): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const written = pipeline(pack, createGzip(), sink);

  const files = Math.max(1, Math.ceil(results.length / RESULTS_PER_FILE));
  for (let index = 0; index < files; index += 1) {
    const slice = results.slice(index * RESULTS_PER_FILE, (index + 1) * RESULTS_PER_FILE);
    pack.entry({ name: `${batchId}-${index}.json`, mtime }, JSON.stringify(slice));
  }
  pack.finalize();
  await written;

  return Buffer.concat(chunks);
}

/** Archives by download token; the oldest are dropped past `keep` (links are short-lived). */
export class BatchArchiveStore {
  private readonly archives = new Map<string, Buffer>();

  constructor(private readonly keep: number) {}

  put(token: string, archive: Buffer): void {
    this.archives.set(token, archive);
    while (this.archives.size > this.keep) {
      const oldest = this.archives.keys().next().value;
      if (oldest === undefined) break;
      this.archives.delete(oldest);
    }
  }

  get(token: string): Buffer | undefined {
    return this.archives.get(token);
  }
}
