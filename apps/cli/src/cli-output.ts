/**
 * How commands talk to the operator: plain lines on stdout for people, one JSON document with
 * --json for scripts, problems on stderr. This is the CLI's user interface, not service logging.
 */
export type TOutput = {
  json: boolean;
  line(text: string): void;
  data(value: unknown): void;
  problem(text: string): void;
};

export function createOutput(json: boolean): TOutput {
  return {
    json,
    line(text) {
      if (!json) process.stdout.write(`${text}\n`);
    },
    data(value) {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    problem(text) {
      process.stderr.write(`✖ ${text}\n`);
    },
  };
}

/** A fixed-width table for terminal output. */
export function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];

  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
