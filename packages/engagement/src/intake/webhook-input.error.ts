/**
 * What is wrong with a webhook request, as the HTTP status the receiver answers. Thrown by the
 * intake code for anything a client sent; never for our own failures (those become 503).
 */
export type TWebhookInputStatus = 400 | 401 | 404 | 413 | 415;

export class WebhookInputError extends Error {
  constructor(
    readonly status: TWebhookInputStatus,
    message: string,
  ) {
    super(message);
    this.name = "WebhookInputError";
  }
}
