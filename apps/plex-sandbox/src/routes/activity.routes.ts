/**
 * Activity Manager, where the connector writes Mailchimp engagement back into Plex
 * (reference/plex-api.md §4): create (201 with activityId), get, list (filter by customerCode and
 * the other published parameters), and update with the documented semantics: "When you update an
 * activity and provide a value for a field, any existing values are cleared and replaced … fields
 * not provided are retained" (spec, Update Activity) — so `comments` sent on PUT replaces the whole
 * list, and appending a comment means sending the full list.
 */
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";

import { writeJsonArray, writeJsonObject } from "../http/json-array.writer.js";
import { principalLabel } from "../http/connect-auth.middleware.js";
import { sendArgumentInvalid, sendNotFound, sendValidationFailed } from "../http/plex-errors.js";
import {
  buildMatcher,
  parseQuery,
  parsePlexDateTime,
  type TPlexError,
} from "../http/query.parser.js";
import type { TActivity } from "../store/plant.store.js";
import { ACTIVITY_PARAMS } from "./connect.endpoints.js";
import type { TSandboxContext } from "./sandbox.context.js";

const uuid = z.uuid({ version: undefined });
const dateTime = z.string().refine((value) => parsePlexDateTime(value) !== undefined, {
  message: "Expected a UTC date-time in the format YYYY-MM-DDThh:mm:ss.fffffffZ.",
});

/** Create/update body, names and types as published (activity_manager_api_Create_Activity). */
const ZActivityBody = z
  .object({
    tenantId: uuid.nullable(),
    activityName: z.string().max(200).nullable(),
    description: z.string().max(4000).nullable(),
    activityType: z.string().max(100).nullable(),
    activityStatus: z.string().max(100).nullable(),
    statusNote: z.string().max(4000).nullable(),
    cost: z.number().nullable(),
    priority: z.number().int().nullable(),
    dueDateTime: dateTime.nullable(),
    customerCode: z.string().max(50).nullable(),
    supplierCode: z.string().max(50).nullable(),
    location: z.string().max(200).nullable(),
    private: z.boolean().nullable(),
    assignedBy: uuid.nullable(),
    assignedToDepartment: z.string().nullable(),
    involvedUsers: z.array(uuid).nullable(),
    percentageCompletion: z.number().int().min(0).max(100).nullable(),
    suggestionNos: z.array(z.number().int()).nullable(),
    comments: z.array(z.string().max(4000)).nullable(),
    assignedTo: uuid.nullable(),
    parentActivity: uuid.nullable(),
    plannedStartDateTime: dateTime.nullable(),
    plannedFinishDateTime: dateTime.nullable(),
  })
  .partial();
type TActivityBody = z.infer<typeof ZActivityBody>;

const WRITE_FIELDS = Object.keys(ZActivityBody.shape) as (keyof TActivityBody)[];

/** Fields of the list view (List Activities 200): no comments, no involvedUsers. */
const LIST_FIELDS = [
  "activityId",
  "tenantId",
  "activityName",
  "description",
  "activityType",
  "activityStatus",
  "statusNote",
  "priority",
  "dueDateTime",
  "assignedTo",
  "assignedBy",
  "cost",
  "customerCode",
  "supplierCode",
  "location",
  "private",
  "assignedToDepartment",
  "parentActivity",
  "improvementProject",
  "expenseProject",
  "strategicObjective",
  "opportunity",
  "plannedStartDateTime",
  "plannedFinishDateTime",
  "actualStartDateTime",
  "actualFinishDateTime",
  "percentageCompletion",
  "createdDateTime",
] as const;

/** Fields of the detail view (Get Activity 200). */
const DETAIL_FIELDS = [
  ...LIST_FIELDS,
  "involvedUsers",
  "metricName",
  "childActivities",
  "suggestions",
  "comments",
] as const;

/** Fields of the create/update answers (201/200). */
const WRITE_ANSWER_FIELDS = [
  "tenantId",
  "activityId",
  "activityName",
  "description",
  "activityType",
  "activityStatus",
  "statusNote",
  "cost",
  "priority",
  "dueDateTime",
  "customerCode",
  "supplierCode",
  "location",
  "private",
  "assignedTo",
  "assignedBy",
  "assignedToDepartment",
  "involvedUsers",
  "parentActivity",
  "plannedStartDateTime",
  "plannedFinishDateTime",
  "percentageCompletion",
  "suggestionNos",
  "comments",
] as const;

function pick(activity: TActivity, fields: readonly string[]): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === "suggestions") {
      const numbers = activity.suggestionNos;
      view.suggestions = Array.isArray(numbers) ? numbers.map(String) : [];
      continue;
    }
    view[field] = activity[field] ?? (field === "childActivities" ? [] : null);
  }

  return view;
}

function zodErrors(error: z.ZodError): TPlexError[] {
  return error.issues.map((issue) => ({
    code: "ARGUMENT_INVALID",
    message: `${issue.path.join(".") || "body"}: ${issue.message}`,
  }));
}

export function activityRoutes(ctx: TSandboxContext): Router {
  const router = express.Router();
  const path = "/management/v1/activity-manager";

  /** Rules the sandbox applies beyond types [UNCONFIRMED on the real API, see README]. */
  function checkReferences(body: TActivityBody, creating: boolean): TPlexError[] {
    const errors: TPlexError[] = [];
    const store = ctx.store();
    if (
      creating &&
      (body.activityName === undefined || body.activityName === null || body.activityName === "")
    ) {
      errors.push({ code: "ARGUMENT_INVALID", message: "activityName: a value is required." });
    }
    if (
      typeof body.customerCode === "string" &&
      store.customerIdOfCode(body.customerCode) === undefined
    ) {
      errors.push({
        code: "ARGUMENT_INVALID",
        message: `customerCode: no customer has the code '${body.customerCode}'.`,
      });
    }
    if (
      typeof body.tenantId === "string" &&
      body.tenantId.toLowerCase() !== store.plant.tenant().id
    ) {
      errors.push({
        code: "ARGUMENT_INVALID",
        message: "tenantId: not a tenant of this application.",
      });
    }

    return errors;
  }

  function logWrite(req: Request, res: Response, status: number): void {
    ctx.store().logWrite({
      method: req.method,
      path: req.path,
      principal: principalLabel(res),
      body: req.body as unknown,
      status,
    });
  }

  router.get(path, async (req, res) => {
    const parsed = parseQuery(req.query, ACTIVITY_PARAMS);
    if (parsed.errors.length > 0) {
      sendArgumentInvalid(res, parsed.errors);
      return;
    }
    const match = buildMatcher(ACTIVITY_PARAMS, parsed);
    const activities = [...ctx.store().activities.values()].filter((activity) => match(activity));
    await writeJsonArray(res, activities, ctx.settings, (activity) =>
      pick(activity as TActivity, LIST_FIELDS),
    );
  });

  router.get(`${path}/:id`, async (req, res) => {
    const activity = ctx.store().activities.get(String(req.params.id).toLowerCase());
    if (activity === undefined) {
      sendNotFound(res, "activity");
      return;
    }
    await writeJsonObject(res, 200, pick(activity, DETAIL_FIELDS), ctx.settings);
  });

  router.post(path, async (req, res) => {
    const parsed = ZActivityBody.safeParse(req.body);
    if (!parsed.success) {
      logWrite(req, res, 400);
      sendValidationFailed(res, zodErrors(parsed.error));
      return;
    }
    const errors = checkReferences(parsed.data, true);
    if (errors.length > 0) {
      logWrite(req, res, 400);
      sendValidationFailed(res, errors);
      return;
    }
    const store = ctx.store();
    const activity: TActivity = {
      ...Object.fromEntries(WRITE_FIELDS.map((field) => [field, null])),
      ...parsed.data,
      tenantId: parsed.data.tenantId ?? store.plant.tenant().id,
      activityId: store.newId(),
      customerCode: parsed.data.customerCode ?? null,
      createdDateTime: ctx.clock.nowIso(),
    };
    store.activities.set(activity.activityId, activity);
    logWrite(req, res, 201);
    await writeJsonObject(res, 201, pick(activity, WRITE_ANSWER_FIELDS), ctx.settings);
  });

  router.put(`${path}/:id`, async (req, res) => {
    const store = ctx.store();
    const activity = store.activities.get(String(req.params.id).toLowerCase());
    if (activity === undefined) {
      logWrite(req, res, 404);
      sendNotFound(res, "activity");
      return;
    }
    const parsed = ZActivityBody.safeParse(req.body);
    const errors = parsed.success ? checkReferences(parsed.data, false) : zodErrors(parsed.error);
    if (!parsed.success || errors.length > 0) {
      logWrite(req, res, 400);
      sendValidationFailed(res, errors);
      return;
    }
    // Provided fields (null included) replace the stored value whole; absent ones are kept.
    for (const field of WRITE_FIELDS) {
      if (Object.hasOwn(parsed.data, field)) activity[field] = parsed.data[field] ?? null;
    }
    logWrite(req, res, 200);
    await writeJsonObject(res, 200, pick(activity, WRITE_ANSWER_FIELDS), ctx.settings);
  });

  return router;
}
