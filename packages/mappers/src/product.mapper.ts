/**
 * Plex parts as Mailchimp e-commerce products. Every product has exactly one variant with the
 * same id (the spec allows "the same id and title as the parent product"), because a Plex part
 * is what is sold: product id = variant id = part id, SKU = part number, type = the part's
 * product type (the category segmentation uses). The variant carries no price: a part's price is
 * per order and per customer in Plex (line prices), and a price copied from whichever order was
 * mapped last would make the product flip on every order.
 */
import type { TProduct, TProductVariant } from "@ml-connector/mailchimp-client";
import type { TPlexPart } from "@ml-connector/plex-client";

import { plexId } from "./plex-input.guards.js";
import { cleanText } from "./text.normalizer.js";

export function mapPartToProduct(part: TPlexPart): TProduct | undefined {
  const id = plexId(part?.id);
  if (id === undefined) return undefined;

  const number = cleanText(part.number, 100);
  const title = cleanText(part.name) ?? number ?? id;
  const variant: TProductVariant = { id, title };
  if (number !== undefined) variant.sku = number;

  const product: TProduct = { id, title, variants: [variant] };
  const type = cleanText(part.productType) ?? cleanText(part.type);
  const description = cleanText(part.description, 1000);
  if (type !== undefined) product.type = type;
  if (description !== undefined) product.description = description;

  return product;
}
