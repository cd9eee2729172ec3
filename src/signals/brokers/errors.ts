/**
 * Returned by `send` for a payload no serializer can give back as it was (a function, a class
 * instance, a `Buffer`, a cycle): nothing was published. `finding` names the value and its path.
 */
export class UnportablePayloadError extends Error {
  override readonly name = 'UnportablePayloadError';
  constructor(
    readonly signalName: string,
    readonly finding: string,
  ) {
    super(
      `Signal '${signalName}' was not sent: its payload holds a ${finding}, which a broker cannot deliver as it was. ` +
        'Send data: plain objects, arrays, primitives, Date, Map, Set, bigint, RegExp, URL, Error or typed arrays.',
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
