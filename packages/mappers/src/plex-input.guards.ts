/**
 * Guards for the edges of the mappers. The Plex records come parsed by the plex-client schemas,
 * but a mapper must survive whatever a caller hands it (a null where a list belongs, a record
 * with a blank id), so lists and ids pass through these two functions first.
 */

/** The objects of a list; anything that is not a list gives an empty one. */
export function recordList<T>(value: readonly T[] | null | undefined): T[] {
  if (!Array.isArray(value)) return [];
  const items = value as readonly T[];

  return items.filter((item) => item !== null && typeof item === "object");
}

/** Ids are used verbatim (only trimmed); one too long or with control characters is unusable. */
export function plexId(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const id = value.trim();
  // eslint-disable-next-line no-control-regex
  if (id === "" || id.length > 200 || /[\u0000-\u001f\u007f]/.test(id)) return undefined;

  return id;
}
