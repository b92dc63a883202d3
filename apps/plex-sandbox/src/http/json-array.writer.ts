/**
 * Writes a list answer the way Plex sends it: a bare JSON array, no envelope and no paging
 * (reference/plex-api.md §2.4). Records are streamed in chunks with back-pressure, so a full pull
 * of a million customers never holds the whole body in memory. The latency model's per-row cost
 * is paid before the last byte.
 */
import type { Response } from "express";

import type { TRecord } from "../store/plant.store.js";
import { sleep, type SandboxSettings } from "./sandbox.settings.js";

const CHUNK_RECORDS = 256;

function waitForDrain(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** Streams the records; returns how many were sent. */
export async function writeJsonArray(
  res: Response,
  records: Iterable<TRecord>,
  settings: SandboxSettings,
  present: (record: TRecord) => unknown = (record) => record,
): Promise<number> {
  res.status(200).type("application/json; charset=utf-8");
  let count = 0;
  let chunk: string[] = [];
  res.write("[");
  for (const record of records) {
    chunk.push(JSON.stringify(present(record)));
    count += 1;
    if (chunk.length < CHUNK_RECORDS) continue;
    const ok = res.write((count > CHUNK_RECORDS ? "," : "") + chunk.join(","));
    chunk = [];
    if (!ok) await waitForDrain(res);
    if (res.destroyed) return count;
  }
  if (chunk.length > 0) res.write((count > chunk.length ? "," : "") + chunk.join(","));
  await sleep(count * settings.latency.perRowMs);
  res.end("]");

  return count;
}

/** A single object answer, with the latency model's per-row cost for one row. */
export async function writeJsonObject(
  res: Response,
  status: number,
  body: unknown,
  settings: SandboxSettings,
): Promise<void> {
  await sleep(settings.latency.perRowMs);
  res.status(status).json(body);
}
