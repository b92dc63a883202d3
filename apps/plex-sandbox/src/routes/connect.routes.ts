/**
 * Plex Connect read endpoints over the sandbox plant: bare arrays, no paging, published filter
 * names only (connect.endpoints.ts), windows through the time indexes. Unknown query parameters
 * are ignored; badly formatted declared ones are 400 ARGUMENT_INVALID (reference/plex-api.md §2).
 */
import express, { type Request, type Response, type Router } from "express";

import type { TEntityKind } from "../generator/id.codec.js";
import { writeJsonArray, writeJsonObject } from "../http/json-array.writer.js";
import { sendArgumentInvalid, sendNotFound } from "../http/plex-errors.js";
import {
  buildMatcher,
  parseQuery,
  windowOn,
  type TParamDef,
  type TParsedQuery,
} from "../http/query.parser.js";
import type { PlantStore, TRecord } from "../store/plant.store.js";
import {
  ADDRESS_PARAMS,
  CONTACT_PARAMS,
  CUSTOMER_PARAMS,
  INVOICE_PARAMS,
  ORDER_PARAMS,
  PART_PARAMS,
  RELEASE_PARAMS,
  SHIPPER_LINE_PARAMS,
  SHIPPER_PARAMS,
  TENANT_PARAMS,
  expressPath,
} from "./connect.endpoints.js";
import type { TSandboxContext } from "./sandbox.context.js";

type TCandidates = (store: PlantStore, parsed: TParsedQuery) => Iterable<TRecord>;

const FAR_FUTURE_MS = Date.UTC(2136, 0, 1);

function pathParam(req: Request, name: string): string {
  const value = (req.params as Record<string, string | undefined>)[name];

  return (value ?? "").toLowerCase();
}

function byIds(store: PlantStore, kind: TEntityKind, ids: unknown): TRecord[] {
  const list = Array.isArray(ids) ? ids : [ids];

  return list
    .map((id) => store.generated.byId(kind, String(id).toLowerCase()))
    .filter((record): record is TRecord => record !== undefined);
}

/** Generated candidates of a windowed collection: ids, an owner, the index window, or all. */
function windowed(
  kind: TEntityKind,
  field: string,
  defs: TParamDef[],
  all: TCandidates,
): TCandidates {
  return (store, parsed) => {
    if (parsed.values.has("id")) return byIds(store, kind, parsed.values.get("id"));
    const window = windowOn(defs, parsed, field);
    if (window !== undefined) {
      return store.generated.modifiedWindow(
        kind,
        window.beginMs ?? 0,
        window.endMs ?? FAR_FUTURE_MS,
      );
    }

    return all(store, parsed);
  };
}

function ownerIndex(store: PlantStore, parsed: TParsedQuery): number | undefined | "none" {
  const customerId = parsed.values.get("customerId");
  if (typeof customerId === "string") return store.customerIndexOf(customerId) ?? "none";
  const customerCode = parsed.values.get("customerCode");
  if (typeof customerCode === "string") {
    const id = store.customerIdOfCode(customerCode);
    return id === undefined ? "none" : (store.customerIndexOf(id) ?? "none");
  }

  return undefined;
}

export function connectRoutes(ctx: TSandboxContext): Router {
  const router = express.Router();

  async function list(
    req: Request,
    res: Response,
    kind: TEntityKind,
    defs: TParamDef[],
    candidates: TCandidates,
    scope: (record: TRecord) => boolean = () => true,
  ): Promise<void> {
    const parsed = parseQuery(req.query, defs);
    if (parsed.errors.length > 0) {
      sendArgumentInvalid(res, parsed.errors);
      return;
    }
    const store = ctx.store();
    const match = buildMatcher(defs, parsed);
    const records = store.list(
      kind,
      candidates(store, parsed),
      (record) => scope(record) && match(record),
    );
    await writeJsonArray(res, records, ctx.settings);
  }

  async function one(res: Response, kind: TEntityKind, id: string, what: string): Promise<void> {
    const record = ctx.store().get(kind, id);
    if (record === undefined) {
      sendNotFound(res, what);
      return;
    }
    await writeJsonObject(res, 200, record, ctx.settings);
  }

  // ---- tenants --------------------------------------------------------------------------
  router.get("/mdm/v1/tenants", (req, res) =>
    list(req, res, "tenant", TENANT_PARAMS, (store) => [store.plant.tenant()]),
  );
  router.get("/mdm/v1/tenants/:id", (req, res) =>
    one(res, "tenant", pathParam(req, "id"), "tenant"),
  );

  // ---- customers and addresses ----------------------------------------------------------
  router.get("/mdm/v1/customers", (req, res) =>
    list(
      req,
      res,
      "customer",
      CUSTOMER_PARAMS,
      windowed("customer", "modifiedDate", CUSTOMER_PARAMS, (store, parsed) => {
        const code = parsed.values.get("code");
        if (typeof code !== "string") return store.generated.customers();
        const id = store.customerIdOfCode(code.toUpperCase());
        return id === undefined ? [] : byIds(store, "customer", id);
      }),
    ),
  );
  router.get("/mdm/v1/customers/:id", (req, res) =>
    one(res, "customer", pathParam(req, "id"), "customer"),
  );
  router.get(expressPath("/mdm/v1/customers/{customerId}/addresses"), async (req, res) => {
    const customerId = pathParam(req, "customerId");
    const store = ctx.store();
    if (store.get("customer", customerId) === undefined) {
      sendNotFound(res, "customer");
      return;
    }
    const i = store.customerIndexOf(customerId);
    await list(
      req,
      res,
      "address",
      ADDRESS_PARAMS,
      () => (i === undefined ? [] : store.generated.addressesOf(i)),
      (record) => addressOwner(store, record) === customerId,
    );
  });
  router.get(
    expressPath("/mdm/v1/customers/{customerId}/addresses/{addressId}"),
    async (req, res) => {
      const record = ctx.store().get("address", pathParam(req, "addressId"));
      const owner = record === undefined ? undefined : addressOwner(ctx.store(), record);
      if (record === undefined || owner !== pathParam(req, "customerId")) {
        sendNotFound(res, "address");
        return;
      }
      await writeJsonObject(res, 200, record, ctx.settings);
    },
  );

  // ---- contacts and parts (no date window exists for either) -----------------------------
  router.get("/mdm/v1/contacts", (req, res) =>
    list(req, res, "contact", CONTACT_PARAMS, (store, parsed) => {
      if (parsed.values.has("id")) return byIds(store, "contact", parsed.values.get("id"));
      const owner = ownerIndex(store, parsed);
      if (owner === "none") return [];
      return owner === undefined ? store.generated.contacts() : store.generated.contactsOf(owner);
    }),
  );
  router.get("/mdm/v1/contacts/:id", (req, res) =>
    one(res, "contact", pathParam(req, "id"), "contact"),
  );
  router.get("/mdm/v1/parts", (req, res) =>
    list(req, res, "part", PART_PARAMS, (store, parsed) =>
      parsed.values.has("id")
        ? byIds(store, "part", parsed.values.get("id"))
        : store.generated.parts(),
    ),
  );
  router.get("/mdm/v1/parts/:id", (req, res) => one(res, "part", pathParam(req, "id"), "part"));

  // ---- sales orders, lines, prices, releases --------------------------------------------
  router.get("/sales/v1/orders", (req, res) =>
    list(
      req,
      res,
      "order",
      ORDER_PARAMS,
      windowed("order", "modifiedDate", ORDER_PARAMS, (store, parsed) => {
        const owner = ownerIndex(store, parsed);
        if (owner === "none") return [];
        return store.generated.ordersOf(owner);
      }),
    ),
  );
  router.get("/sales/v1/orders/:id", (req, res) =>
    one(res, "order", pathParam(req, "id"), "order"),
  );
  router.get("/sales/v1/orders/:id/lines", async (req, res) => {
    const orderId = pathParam(req, "id");
    const store = ctx.store();
    if (store.get("order", orderId) === undefined) {
      sendNotFound(res, "order");
      return;
    }
    const generated = store.generated.linesOfOrder(orderId);
    await list(
      req,
      res,
      "orderLine",
      [],
      () => generated,
      (record) => record.orderId === orderId,
    );
  });
  router.get("/sales/v1/orders/:id/lines/:lineId", async (req, res) => {
    const line = ctx.store().get("orderLine", pathParam(req, "lineId"));
    if (line === undefined || line.orderId !== pathParam(req, "id")) {
      sendNotFound(res, "order line");
      return;
    }
    await writeJsonObject(res, 200, line, ctx.settings);
  });
  router.get("/sales/v1/orders/:id/lines/:lineId/prices", async (req, res) => {
    const store = ctx.store();
    const lineId = pathParam(req, "lineId");
    const line = store.get("orderLine", lineId);
    if (line === undefined || line.orderId !== pathParam(req, "id")) {
      sendNotFound(res, "order line");
      return;
    }
    const generated = store.generated.pricesOfLine(lineId);
    await list(
      req,
      res,
      "linePrice",
      [],
      () => generated,
      (record) => record.orderLineId === lineId,
    );
  });
  router.get("/sales/v1/orders/:id/lines/:lineId/prices/:priceId", async (req, res) => {
    const price = ctx.store().get("linePrice", pathParam(req, "priceId"));
    if (price === undefined || price.orderLineId !== pathParam(req, "lineId")) {
      sendNotFound(res, "price");
      return;
    }
    await writeJsonObject(res, 200, price, ctx.settings);
  });
  router.get("/sales/v1/releases", (req, res) =>
    list(req, res, "release", RELEASE_PARAMS, (store, parsed) => {
      if (parsed.values.has("id")) return byIds(store, "release", parsed.values.get("id"));
      const lineIds = parsed.values.get("orderLineIds");
      if (Array.isArray(lineIds)) return store.generated.releasesOfLines(lineIds);
      const window = windowOn(RELEASE_PARAMS, parsed, "modifiedDate");
      if (window !== undefined) {
        return store.generated.modifiedWindow(
          "release",
          window.beginMs ?? 0,
          window.endMs ?? FAR_FUTURE_MS,
        );
      }
      return store.generated.releases();
    }),
  );
  router.get("/sales/v1/releases/:id", (req, res) =>
    one(res, "release", pathParam(req, "id"), "release"),
  );

  // ---- shipping -------------------------------------------------------------------------
  router.get("/shipping/v1/customer-shippers", (req, res) =>
    list(
      req,
      res,
      "shipper",
      SHIPPER_PARAMS,
      windowed("shipper", "modifiedDate", SHIPPER_PARAMS, (store, parsed) => {
        const owner = ownerIndex(store, parsed);
        if (owner === "none") return [];
        return store.generated.shippers(owner);
      }),
    ),
  );
  router.get("/shipping/v1/customer-shippers/:id", (req, res) =>
    one(res, "shipper", pathParam(req, "id"), "shipper"),
  );
  router.get("/shipping/v1/customer-shippers/:shipperId/lines", async (req, res) => {
    const shipperId = pathParam(req, "shipperId");
    const store = ctx.store();
    if (store.get("shipper", shipperId) === undefined) {
      sendNotFound(res, "shipper");
      return;
    }
    const generated = store.generated.shipperLinesOf(shipperId);
    await list(
      req,
      res,
      "shipperLine",
      SHIPPER_LINE_PARAMS,
      () => generated,
      (record) => {
        return record.shipperId === shipperId;
      },
    );
  });
  router.get("/shipping/v1/customer-shippers/:shipperId/lines/:lineId", async (req, res) => {
    const line = ctx.store().get("shipperLine", pathParam(req, "lineId"));
    if (line === undefined || line.shipperId !== pathParam(req, "shipperId")) {
      sendNotFound(res, "shipper line");
      return;
    }
    await writeJsonObject(res, 200, line, ctx.settings);
  });

  // ---- accounting -----------------------------------------------------------------------
  router.get("/accounting/v1/ar-invoices", (req, res) =>
    list(
      req,
      res,
      "invoice",
      INVOICE_PARAMS,
      windowed("invoice", "modifiedDate", INVOICE_PARAMS, (store, parsed) => {
        const owner = ownerIndex(store, parsed);
        if (owner === "none") return [];
        return store.generated.invoices(owner);
      }),
    ),
  );
  router.get("/accounting/v1/ar-invoices/:id", (req, res) =>
    one(res, "invoice", pathParam(req, "id"), "invoice"),
  );

  return router;
}

function addressOwner(store: PlantStore, address: TRecord): string | undefined {
  if (typeof address.customerId === "string") return address.customerId;

  return store.generated.addressOwner(String(address.id));
}
