/**
 * Reads a JSON document from a file or stdin ("-"). String values of the form "env:NAME" are
 * replaced by that environment variable, so secrets need not be written into the file.
 */
import { readFileSync } from "node:fs";

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

function substitute(value: unknown): unknown {
  if (typeof value === "string" && value.startsWith("env:")) {
    const name = value.slice(4);
    const resolved = process.env[name];
    if (resolved === undefined || resolved === "") {
      throw new InputError(`environment variable ${name} (referenced as "env:${name}") is not set`);
    }

    return resolved;
  }
  if (Array.isArray(value)) return value.map(substitute);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item)]));
  }

  return value;
}

export function readJsonInput(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch {
    throw new InputError(`cannot read ${path === "-" ? "standard input" : path}`);
  }
  try {
    return substitute(JSON.parse(text));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path} is not valid JSON`);
  }
}
