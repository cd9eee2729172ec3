/**
 * What a payload needs to cross a message broker with its types intact:
 * - `json`: plain objects, arrays, strings, finite numbers, booleans, `null` and `undefined`
 *   properties, which JSON carries as they are;
 * - `typed`: it also holds values JSON would change, which superjson carries with their type
 *   (`Date`, `Map`, `Set`, `bigint`, `RegExp`, `URL`, `Error`, standard typed arrays, `NaN`,
 *   `±Infinity`, `-0`, `undefined` in an array);
 * - `unportable`: it holds a value no serializer can give back as it was (a function, a
 *   symbol, a class instance, a `Buffer`, an invalid `Date`, an object with its own `toJSON`,
 *   a cycle or nesting deeper than 64), described in `finding`.
 */
export type PayloadShape =
  | { readonly kind: 'json' }
  | { readonly kind: 'typed' }
  | { readonly kind: 'unportable'; readonly finding: string };

const JSON_SHAPE: PayloadShape = { kind: 'json' };
const TYPED_SHAPE: PayloadShape = { kind: 'typed' };

/**
 * Classifies `payload` (see {@link PayloadShape}). Runs on every send, so it allocates nothing
 * for a payload that is plain JSON. Inspects at most 10 000 values; past that it trusts the rest.
 */
export function describePayload(payload: unknown): PayloadShape {
  const walk: Walk = { nodesLeft: MAX_NODES, depthLeft: MAX_DEPTH, typed: false };
  const finding = inspect(payload, walk, false);
  if (finding !== undefined) {
    // A cycle's path is 64 levels of the same steps: the start of it says where.
    const path = finding.path.length > MAX_PATH_LENGTH ? `${finding.path.slice(0, MAX_PATH_LENGTH)}…` : finding.path;
    return { kind: 'unportable', finding: path === '' ? finding.type : `${finding.type} at ${path}` };
  }
  return walk.typed ? TYPED_SHAPE : JSON_SHAPE;
}

/**
 * Finds the first value in `payload` that would not reach a receiver on a message broker as it
 * was sent (see {@link PayloadShape}).
 *
 * @returns a description such as `function at .items[0].format` or `Buffer at .file`, or
 *   `undefined` when the payload crosses a broker intact.
 */
export function findUnportableValue(payload: unknown): string | undefined {
  const shape = describePayload(payload);
  return shape.kind === 'unportable' ? shape.finding : undefined;
}

const MAX_NODES = 10_000;
const MAX_PATH_LENGTH = 80;
const MAX_DEPTH = 64;

interface Walk {
  nodesLeft: number;
  depthLeft: number;
  /** Set once a value that needs superjson was seen. */
  typed: boolean;
}

interface Finding {
  readonly type: string;
  readonly path: string;
}

/** Prototypes superjson restores as they were, with nothing inside to inspect. */
const TYPED_LEAVES: ReadonlySet<object> = new Set<object>([
  RegExp.prototype,
  URL.prototype,
  Error.prototype,
  ...[
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  ].map((TypedArray) => TypedArray.prototype),
]);

function inspect(value: unknown, walk: Walk, inArray: boolean): Finding | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'undefined':
      // JSON drops an undefined property (reading it still gives undefined) but turns one in an array into null.
      if (inArray) walk.typed = true;
      return undefined;
    case 'number':
      if (!Number.isFinite(value) || Object.is(value, -0)) walk.typed = true;
      return undefined;
    case 'bigint':
      walk.typed = true;
      return undefined;
    case 'object':
      return value === null ? undefined : inspectObject(value, walk);
    default:
      return { type: typeof value, path: '' };
  }
}

function inspectObject(value: object, walk: Walk): Finding | undefined {
  if (--walk.nodesLeft < 0) return undefined;
  if (walk.depthLeft === 0) return { type: 'circular or too deeply nested object', path: '' };
  if (Array.isArray(value)) return inspectArray(value as unknown[], walk);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return { type: 'object with its own toJSON()', path: '' };
    return inspectPlainObject(value as Record<string, unknown>, walk);
  }
  if (prototype === Date.prototype) {
    if (Number.isNaN((value as Date).getTime())) return { type: 'invalid Date', path: '' };
    walk.typed = true;
    return undefined;
  }
  if (TYPED_LEAVES.has(prototype as object)) {
    walk.typed = true;
    return undefined;
  }
  if (prototype === Map.prototype) {
    walk.typed = true;
    return inspectEntries(flattenMap(value as Map<unknown, unknown>), walk, false, mapPath);
  }
  if (prototype === Set.prototype) {
    walk.typed = true;
    return inspectEntries((value as Set<unknown>).entries(), walk, false, setPath);
  }
  return { type: typeName(value), path: '' };
}

// Arrays and plain objects, the common case, are walked without allocating.
function inspectArray(value: readonly unknown[], walk: Walk): Finding | undefined {
  walk.depthLeft--;
  for (let index = 0; index < value.length; index++) {
    const found = inspect(value[index], walk, true);
    if (found !== undefined) return { type: found.type, path: `[${index}]${found.path}` };
  }
  walk.depthLeft++;
  return undefined;
}

function inspectPlainObject(value: Record<string, unknown>, walk: Walk): Finding | undefined {
  walk.depthLeft--;
  for (const key in value) {
    const found = inspect(value[key], walk, false);
    if (found !== undefined) return { type: found.type, path: `.${key}${found.path}` };
  }
  walk.depthLeft++;
  return undefined;
}

/** Inspects `[key, value]` pairs one level down, naming the path of a finding with `pathOf(key)`. */
function inspectEntries(
  entries: Iterable<readonly [unknown, unknown]>,
  walk: Walk,
  inArray: boolean,
  pathOf: (key: unknown) => string,
): Finding | undefined {
  walk.depthLeft--;
  for (const [key, item] of entries) {
    const found = inspect(item, walk, inArray);
    if (found !== undefined) return { type: found.type, path: `${pathOf(key)}${found.path}` };
  }
  walk.depthLeft++;
  return undefined;
}

/** A map's keys are inspected as well as its values: `[key, key]` then `[key, value]`. */
function* flattenMap(map: Map<unknown, unknown>): Iterable<readonly [unknown, unknown]> {
  for (const [key, item] of map) {
    yield [key, key];
    yield [key, item];
  }
}

function mapPath(key: unknown): string {
  if (typeof key === 'string') return `.get(${JSON.stringify(key)})`;
  if (typeof key === 'number' || typeof key === 'boolean' || typeof key === 'bigint') return `.get(${String(key)})`;
  return '.<a Map entry>';
}
const setPath = (): string => '.<a Set item>';

function typeName(value: object): string {
  if (typeof Buffer === 'function' && Buffer.isBuffer(value)) return 'Buffer (send a Uint8Array or a base64 string)';
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  if (value instanceof Error) return `${typeof name === 'string' ? name : 'Error'} (an Error subclass arrives as a plain Error)`;
  return typeof name === 'string' && name !== '' ? name : 'object with a custom prototype';
}
