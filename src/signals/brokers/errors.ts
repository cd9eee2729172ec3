/** Returned by `send` for a payload that would not survive JSON: nothing was published. */
export class UnportablePayloadError extends Error {
  override readonly name = 'UnportablePayloadError';
  constructor(
    readonly signalName: string,
    readonly finding: string,
  ) {
    super(
      `Signal '${signalName}' was not sent: its payload holds a ${finding}, which JSON cannot carry. ` +
        'Send plain objects, arrays and primitives, or add a toJSON() method.',
    );
  }
}

/** Returned by `send` when the broker did not accept the message (down, timed out, unroutable). */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    readonly signalName: string,
    message: string,
    cause?: unknown,
  ) {
    super(`Signal '${signalName}' was not published: ${message}`, { cause });
  }
}

/**
 * Thrown at connect time when a receiver cannot be given a stable name on the wire, or when
 * two different signals claim one name: either would silently mix up consumer groups or queues.
 */
export class ReceiverNamingError extends Error {
  override readonly name = 'ReceiverNamingError';
}
