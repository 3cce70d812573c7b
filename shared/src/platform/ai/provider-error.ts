/**
 * A failure of an AI provider with a message written for the bot's owner (it is shown in the admin UI),
 * never containing the API key, and a `reason` coarse enough for callers to decide what to do. The
 * provider's own error, if any, is kept as `cause` for the logs.
 */
export abstract class ProviderError<Reason extends string> extends Error {
  /** HTTP status of the provider's answer, when there was one. */
  readonly status: number | undefined;

  constructor(
    readonly reason: Reason,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
  }

  /** Whether trying again later may succeed. */
  abstract get retryable(): boolean;
}
