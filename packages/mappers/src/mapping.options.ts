/**
 * Options as the mappers use them: what a caller leaves out gets its default, and values that
 * make no sense (an empty tag prefix, a negative window, an invalid clock) are replaced rather
 * than allowed to crash a mapper or to make every user tag look managed.
 */
import { normaliseTagPrefix } from "./member-tags.mapper.js";
import {
  DEFAULT_MAPPING_OPTIONS,
  type TMappingOptions,
  type TMappingOptionsInput,
} from "./mapping.types.js";

export function resolveOptions(input: TMappingOptionsInput): TMappingOptions & { now: Date } {
  const now = input?.now instanceof Date && !Number.isNaN(input.now.getTime()) ? input.now : null;
  const days = Number(input?.activeBuyerDays);

  return {
    statusIfNew: input?.statusIfNew === "transactional" ? "transactional" : "subscribed",
    tagPrefix: normaliseTagPrefix(input?.tagPrefix ?? DEFAULT_MAPPING_OPTIONS.tagPrefix),
    includeContacts: input?.includeContacts ?? DEFAULT_MAPPING_OPTIONS.includeContacts,
    includeInactive: input?.includeInactive ?? DEFAULT_MAPPING_OPTIONS.includeInactive,
    activeBuyerDays:
      Number.isFinite(days) && days > 0 ? days : DEFAULT_MAPPING_OPTIONS.activeBuyerDays,
    // An unusable clock must not crash a mapper; the epoch makes every buyer "lapsed" visibly.
    now: now ?? new Date(0),
  };
}
