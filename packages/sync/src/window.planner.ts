/**
 * Plex has no paging: a list call returns every row of its date window (reference plex-api.md
 * §2.5), and some endpoints silently cap large answers. Windows are therefore sized adaptively:
 * one that returns `maxRows` or more is split in half and read again; a sparse one doubles the
 * next window. Windows include both ends, so a record stamped exactly on an edge is read twice
 * (and de-duplicated by its content hash), never skipped.
 */
export type TWindow = { start: Date; end: Date };

export type TWindowPlannerOptions = {
  from: Date;
  to: Date;
  /** Span of the first window. */
  initialSpanMs: number;
  /** Windows are never split below this (many rows on one timestamp cannot be split). */
  minSpanMs: number;
  maxSpanMs: number;
  /** A window returning this many rows or more is split: the answer may have been truncated. */
  maxRows: number;
};

export class WindowPlanner {
  private cursorMs: number;
  private spanMs: number;
  /** Windows read again after a split (each cost a Plex call). */
  splits = 0;

  constructor(private readonly options: TWindowPlannerOptions) {
    this.cursorMs = options.from.getTime();
    this.spanMs = Math.max(options.minSpanMs, Math.min(options.initialSpanMs, options.maxSpanMs));
  }

  /** The next window to read, or undefined when `to` has been reached. */
  next(): TWindow | undefined {
    const endMs = this.options.to.getTime();
    if (this.cursorMs >= endMs) return undefined;

    return {
      start: new Date(this.cursorMs),
      end: new Date(Math.min(this.cursorMs + this.spanMs, endMs)),
    };
  }

  /**
   * Reports how many rows `window` returned. "split": discard them, the window was halved;
   * "accept": process them, the cursor moved past the window.
   */
  report(window: TWindow, rows: number): "accept" | "split" {
    const span = window.end.getTime() - window.start.getTime();
    if (rows >= this.options.maxRows && span > this.options.minSpanMs) {
      this.spanMs = Math.max(this.options.minSpanMs, Math.floor(span / 2));
      this.splits += 1;

      return "split";
    }
    this.cursorMs = window.end.getTime();
    if (rows < this.options.maxRows / 4) {
      this.spanMs = Math.min(this.options.maxSpanMs, this.spanMs * 2);
    }

    return "accept";
  }
}
