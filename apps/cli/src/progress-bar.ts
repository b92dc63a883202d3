/**
 * Progress for long work: a redrawn bar with rate and ETA on a terminal, a plain line every few
 * seconds when the output is a file or a pipe (CI logs, `| tee`).
 */
export type TProgress = { done: number; total: number | undefined; unit: string };

export function formatProgress(progress: TProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (progress.done / elapsedMs) * 1_000 : 0;
  const rateText = `${rate.toFixed(rate < 10 ? 1 : 0)}/s`;
  if (progress.total === undefined || progress.total === 0) {
    return `${progress.done} ${progress.unit} · ${rateText} · counting…`;
  }
  const share = Math.min(1, progress.done / progress.total);
  const width = 30;
  const filled = Math.round(share * width);
  const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
  const remaining = progress.total - progress.done;
  const eta = rate > 0 ? `${Math.ceil(remaining / rate)} s` : "?";

  return `[${bar}] ${(share * 100).toFixed(0)}% ${progress.done}/${progress.total} ${progress.unit} · ${rateText} · ETA ${eta}`;
}

export class ProgressPrinter {
  private readonly startedAt = Date.now();
  private lastLineAt = 0;

  constructor(private readonly tty = process.stdout.isTTY === true) {}

  update(progress: TProgress): void {
    const line = formatProgress(progress, Date.now() - this.startedAt);
    if (this.tty) {
      process.stdout.write(`\r${line}\x1b[K`);

      return;
    }
    if (Date.now() - this.lastLineAt >= 5_000) {
      this.lastLineAt = Date.now();
      process.stdout.write(`${line}\n`);
    }
  }

  finish(progress: TProgress): void {
    const line = formatProgress(progress, Date.now() - this.startedAt);
    process.stdout.write(this.tty ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}
