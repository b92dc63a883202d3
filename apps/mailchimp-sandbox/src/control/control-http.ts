/** Small pieces shared by the control API routers: a refusal with a status, async handlers. */
import type { NextFunction, Request, Response } from "express";

/** A control API refusal with its HTTP status (404 unknown account, 409 id in use, …). */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ControlError";
  }
}

/** Wraps a synchronous or async handler so thrown errors reach the error middleware. */
export function handler(run: (req: Request, res: Response) => unknown) {
  return (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => run(req, res))
      .catch(next);
  };
}
