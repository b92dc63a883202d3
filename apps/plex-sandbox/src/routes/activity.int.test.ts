/**
 * Activity Manager over real HTTP: create, list by customer code, get, and the documented update
 * semantics (provided fields replace the stored value whole, absent ones are kept).
 */
import axios, { type AxiosInstance } from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPlexSandbox, type TPlexSandboxHandle } from "../plex-sandbox.js";

const PATH = "/management/v1/activity-manager";

let sandbox: TPlexSandboxHandle;
let plex: AxiosInstance;
let customerCode: string;

beforeAll(async () => {
  sandbox = await startPlexSandbox({ customers: 50, latency: { baseMs: 0, perRowMs: 0 } });
  plex = axios.create({
    baseURL: sandbox.url,
    headers: { "X-Plex-Connect-Api-Key": sandbox.apiKey },
    validateStatus: () => true,
  });
  customerCode = sandbox.store().plant.customer(4).code;
});

afterAll(async () => {
  await sandbox.close();
});

type TActivity = Record<string, unknown> & { activityId: string; comments?: string[] };

async function create(body: object): Promise<TActivity> {
  const response = await plex.post<TActivity>(PATH, body);
  expect(response.status).toBe(201);

  return response.data;
}

describe("Activity Manager", () => {
  it("creates an activity and lists it by customer code, without comments in the list view", async () => {
    const activity = await create({
      activityName: "Spring campaign",
      activityType: "Email Marketing",
      description: "Opened 2 times, clicked once",
      customerCode,
      comments: ["2026-11-30 opened", "2026-11-30 clicked"],
    });
    expect(activity.activityId).toMatch(/^[0-9a-f-]{36}$/);
    expect(activity).toMatchObject({
      customerCode,
      comments: ["2026-11-30 opened", "2026-11-30 clicked"],
    });

    const list = await plex.get<TActivity[]>(`${PATH}?customerCode=${customerCode}`);
    expect(list.status).toBe(200);
    expect(list.data.map((row) => row.activityId)).toEqual([activity.activityId]);
    expect(list.data[0]).not.toHaveProperty("comments");
    expect((await plex.get<TActivity[]>(`${PATH}?customerCode=NOPE000001`)).data).toEqual([]);

    const detail = await plex.get<TActivity>(`${PATH}/${activity.activityId}`);
    expect(detail.data.comments).toEqual(["2026-11-30 opened", "2026-11-30 clicked"]);
    expect(detail.data.createdDateTime).toEqual(expect.stringMatching(/Z$/) as string);
  });

  it("replaces provided fields whole and keeps the others (comments are not appended)", async () => {
    const activity = await create({
      activityName: "Rolling engagement",
      activityType: "Email Marketing",
      activityStatus: "Open",
      description: "first",
      customerCode,
      comments: ["one", "two"],
    });

    const replaced = await plex.put<TActivity>(`${PATH}/${activity.activityId}`, {
      comments: ["three"],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.data.comments).toEqual(["three"]);
    expect(replaced.data).toMatchObject({
      description: "first",
      activityStatus: "Open",
      activityName: "Rolling engagement",
    });

    await plex.put(`${PATH}/${activity.activityId}`, {
      comments: ["three", "four"],
      description: null,
    });
    const detail = await plex.get<TActivity>(`${PATH}/${activity.activityId}`);
    expect(detail.data).toMatchObject({
      comments: ["three", "four"],
      description: null,
      activityType: "Email Marketing",
    });

    const writes = sandbox
      .store()
      .writes.filter((write) => write.path.endsWith(activity.activityId));
    expect(writes.map((write) => write.method)).toEqual(["PUT", "PUT"]);
    expect(writes[0]!.body).toEqual({ comments: ["three"] });
  });

  it("refuses bad input with 400 and unknown activities with 404", async () => {
    const unknownCustomer = await plex.post(PATH, {
      activityName: "x",
      customerCode: "NOPE000001",
    });
    expect(unknownCustomer.status).toBe(400);
    expect(unknownCustomer.data).toMatchObject({
      code: "REQUEST_VALIDATION_FAILED",
      errors: [{ code: "ARGUMENT_INVALID" }],
    });
    expect((await plex.post(PATH, { activityName: "x", priority: "high" })).status).toBe(400);
    expect((await plex.post(PATH, { activityName: "x", dueDateTime: "2026-12-01" })).status).toBe(
      400,
    );
    expect((await plex.post(PATH, { customerCode })).status).toBe(400);
    const malformed = await plex.post(PATH, "{not json", {
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.data).toMatchObject({ code: "REQUEST_MALFORMED" });
    expect(
      (await plex.put(`${PATH}/00000000-0000-4000-8000-000000000001`, { comments: [] })).status,
    ).toBe(404);
    expect((await plex.get(`${PATH}?dueDateStartDateTime=tomorrow`)).status).toBe(400);
  });
});
