/**
 * The last line of defence for "no secret in a log line": every plaintext secret the process
 * learns (from configuration or from the vault) is registered here, and the logger replaces any
 * occurrence in its output. Field redaction by path (logger.ts) catches the expected places; this
 * catches the unexpected ones, such as a secret echoed inside an upstream error message.
 */
const MIN_SECRET_LENGTH = 6;
const REPLACEMENT = "[REDACTED]";

const secrets = new Set<string>();
let pattern: RegExp | undefined;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function rebuildPattern(): void {
  if (secrets.size === 0) {
    pattern = undefined;

    return;
  }
  // Longest first, so a secret that contains another is replaced whole. Each secret is also
  // matched in its JSON-escaped form, as it appears inside a serialized log line.
  const forms = new Set<string>();
  for (const secret of secrets) {
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  pattern = new RegExp(sorted.join("|"), "g");
}

/** Registers a plaintext secret; short values are ignored (they would mask ordinary words). */
export function registerSecret(value: string | undefined | null): void {
  if (value === undefined || value === null || value.length < MIN_SECRET_LENGTH) return;
  if (secrets.has(value)) return;
  secrets.add(value);
  rebuildPattern();
}

export function forgetSecret(value: string): void {
  if (secrets.delete(value)) rebuildPattern();
}

/** Replaces every registered secret in `text`. */
export function scrubSecrets(text: string): string {
  if (pattern === undefined) return text;

  return text.replace(pattern, REPLACEMENT);
}

/** Scrubs an error's message, for errors that leave the process (HTTP answers, audit rows). */
export function scrubbedMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);

  return scrubSecrets(message);
}
