/**
 * Products and their variants: POST creates (an existing id is refused), PUT upserts (products:
 * current official SDK; variants: spec 3.0.55), PATCH updates, DELETE removes ([SPEC],
 * reference §4). A product needs at least one variant.
 */
import { noContent, ok, page, type TApiCall, type TApiRoute } from "../api/api-route.js";
import { problems } from "../http/api-problem.js";
import { param } from "../lists/list.lookup.js";
import type { SandboxContext } from "../sandbox-context.js";
import type { TProduct, TProductVariant, TStore } from "../state/ecommerce.model.js";
import { assertRecordSize } from "../state/record-limits.js";
import { serializeProduct, serializeVariant } from "./ecommerce.serializer.js";
import { assignFields, requireStore } from "./store.service.js";

const PRODUCT = "/ecommerce/stores/{store_id}/products/{product_id}";
const VARIANT = `${PRODUCT}/variants/{variant_id}`;
const PRODUCT_WRITABLE = [
  "title",
  "handle",
  "url",
  "description",
  "type",
  "vendor",
  "image_url",
  "images",
  "published_at_foreign",
];
const VARIANT_WRITABLE = [
  "title",
  "url",
  "sku",
  "price",
  "inventory_quantity",
  "image_url",
  "backorders",
  "visibility",
];

type TVariantInput = { id?: string; title?: string } & Record<string, unknown>;
type TProductInput = { id?: string; title?: string; variants?: TVariantInput[] } & Record<
  string,
  unknown
>;

function requireProduct(call: TApiCall): { store: TStore; product: TProduct } {
  const store = requireStore(call);
  const product = store.products.get(param(call.params, "product_id"));
  if (product === undefined) throw problems.notFound();

  return { store, product };
}

function writeVariant(
  ctx: SandboxContext,
  product: TProduct,
  id: string,
  input: TVariantInput,
): TProductVariant {
  const now = ctx.clock.isoNow();
  const existing = product.variants.get(id);
  const variant: TProductVariant = { id, title: "", created_at: now, updated_at: now, ...existing };
  assignFields(variant, input, VARIANT_WRITABLE);
  variant.updated_at = now;
  // Variants are records of their own: each is bounded like a product.
  assertRecordSize(variant, ctx.options.limits.maxRecordBytes);
  product.variants.set(id, variant);

  return variant;
}

function writeProduct(
  ctx: SandboxContext,
  store: TStore,
  id: string,
  input: TProductInput,
  replace: boolean,
): TProduct {
  const now = ctx.clock.isoNow();
  const existing = store.products.get(id);
  const product: TProduct =
    existing !== undefined && !replace
      ? existing
      : {
          id,
          title: "",
          variants: new Map(),
          created_at: existing?.created_at ?? now,
          updated_at: now,
        };
  assignFields(product, input, PRODUCT_WRITABLE);
  for (const variant of input.variants ?? []) writeVariant(ctx, product, variant.id ?? "", variant);
  if (product.variants.size === 0) {
    throw problems.invalidResource([
      { field: "variants", message: "A product must have at least one variant" },
    ]);
  }
  product.updated_at = now;
  assertRecordSize(product, ctx.options.limits.maxRecordBytes);
  store.products.set(id, product);

  return product;
}

export const PRODUCT_ROUTES: TApiRoute[] = [
  {
    method: "get",
    path: "/ecommerce/stores/{store_id}/products",
    handle: (call) => {
      const store = requireStore(call);
      const products = [...store.products.values()];

      return ok({
        store_id: store.id,
        products: page(products, call.query).map((product) =>
          serializeProduct(call.apiBase, store, product),
        ),
        total_items: products.length,
        _links: [],
      });
    },
  },
  {
    method: "post",
    path: "/ecommerce/stores/{store_id}/products",
    handle: (call, ctx) => {
      const store = requireStore(call);
      const body = call.body as TProductInput & { id: string };
      if (store.products.has(body.id)) {
        throw problems.invalidResourceDetail("A product with the provided ID already exists.");
      }

      return ok(
        serializeProduct(call.apiBase, store, writeProduct(ctx, store, body.id, body, true)),
      );
    },
  },
  {
    method: "get",
    path: PRODUCT,
    handle: (call) => {
      const { store, product } = requireProduct(call);

      return ok(serializeProduct(call.apiBase, store, product));
    },
  },
  {
    method: "put",
    path: PRODUCT,
    handle: (call, ctx) => {
      const store = requireStore(call);
      const id = param(call.params, "product_id");

      return ok(
        serializeProduct(
          call.apiBase,
          store,
          writeProduct(ctx, store, id, call.body as TProductInput, true),
        ),
      );
    },
  },
  {
    method: "patch",
    path: PRODUCT,
    handle: (call, ctx) => {
      const { store, product } = requireProduct(call);

      return ok(
        serializeProduct(
          call.apiBase,
          store,
          writeProduct(ctx, store, product.id, call.body as TProductInput, false),
        ),
      );
    },
  },
  {
    method: "delete",
    path: PRODUCT,
    handle: (call) => {
      const { store, product } = requireProduct(call);
      store.products.delete(product.id);

      return noContent();
    },
  },
  {
    method: "get",
    path: `${PRODUCT}/variants`,
    handle: (call) => {
      const { store, product } = requireProduct(call);
      const variants = [...product.variants.values()];

      return ok({
        store_id: store.id,
        product_id: product.id,
        variants: page(variants, call.query).map((variant) =>
          serializeVariant(call.apiBase, store, product, variant),
        ),
        total_items: variants.length,
        _links: [],
      });
    },
  },
  {
    method: "post",
    path: `${PRODUCT}/variants`,
    handle: (call, ctx) => {
      const { store, product } = requireProduct(call);
      const body = call.body as TVariantInput & { id: string };
      if (product.variants.has(body.id)) {
        throw problems.invalidResourceDetail("A variant with the provided ID already exists.");
      }

      return ok(
        serializeVariant(call.apiBase, store, product, writeVariant(ctx, product, body.id, body)),
      );
    },
  },
  {
    method: "get",
    path: VARIANT,
    handle: (call) => {
      const { store, product } = requireProduct(call);
      const variant = product.variants.get(param(call.params, "variant_id"));
      if (variant === undefined) throw problems.notFound();

      return ok(serializeVariant(call.apiBase, store, product, variant));
    },
  },
  {
    method: "put",
    path: VARIANT,
    handle: (call, ctx) => {
      const { store, product } = requireProduct(call);
      const id = param(call.params, "variant_id");

      return ok(
        serializeVariant(
          call.apiBase,
          store,
          product,
          writeVariant(ctx, product, id, call.body as TVariantInput),
        ),
      );
    },
  },
  {
    method: "patch",
    path: VARIANT,
    handle: (call, ctx) => {
      const { store, product } = requireProduct(call);
      const id = param(call.params, "variant_id");
      if (!product.variants.has(id)) throw problems.notFound();

      return ok(
        serializeVariant(
          call.apiBase,
          store,
          product,
          writeVariant(ctx, product, id, call.body as TVariantInput),
        ),
      );
    },
  },
  {
    method: "delete",
    path: VARIANT,
    handle: (call) => {
      const { product } = requireProduct(call);
      const id = param(call.params, "variant_id");
      if (!product.variants.delete(id)) throw problems.notFound();

      return noContent();
    },
  },
];
