/**
 * Finds the first value in `payload` that would not survive `JSON.stringify` and back:
 * broker-ready values are `undefined`, `null`, JSON primitives, arrays, plain objects and
 * objects with a `toJSON()` method (such as `Date`).
 *
 * Runs on every send, so it allocates nothing for a broker-ready payload.
 *
 * @returns a description such as `Map` or `function at .items[0].format`, or `undefined`
 *   when the payload is broker-ready.
 */
export function findUnportableValue(payload: unknown): string | undefined {
  const budget: Budget = { nodesLeft: MAX_NODES, depthLeft: MAX_DEPTH };
  const finding = inspect(payload, budget);
  if (finding === undefined) return undefined;
  return finding.path === '' ? finding.type : `${finding.type} at ${finding.path}`;
}

const MAX_NODES = 10_000;
const MAX_DEPTH = 64;

interface Budget {
  nodesLeft: number;
  depthLeft: number;
}

interface Finding {
  readonly type: string;
  readonly path: string;
}

function inspect(value: unknown, budget: Budget): Finding | undefined {
  switch (typeof value) {
    case 'undefined':
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { type: `number (${value})`, path: '' };
    case 'object':
      return value === null ? undefined : inspectObject(value, budget);
    default:
      return { type: typeof value, path: '' };
  }
}

function inspectObject(value: object, budget: Budget): Finding | undefined {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (--budget.nodesLeft < 0) return undefined;
  if (budget.depthLeft === 0) return { type: 'circular or too deeply nested object', path: '' };
  if (Array.isArray(value)) return inspectArray(value as unknown[], budget);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return { type: typeName(value), path: '' };
  return inspectPlainObject(value as Record<string, unknown>, budget);
}

function inspectArray(value: readonly unknown[], budget: Budget): Finding | undefined {
  budget.depthLeft--;
  for (let index = 0; index < value.length; index++) {
    const found = inspect(value[index], budget);
    if (found !== undefined) return { type: found.type, path: `[${index}]${found.path}` };
  }
  budget.depthLeft++;
  return undefined;
}

function inspectPlainObject(value: Record<string, unknown>, budget: Budget): Finding | undefined {
  budget.depthLeft--;
  for (const key in value) {
    const found = inspect(value[key], budget);
    if (found !== undefined) return { type: found.type, path: `.${key}${found.path}` };
  }
  budget.depthLeft++;
  return undefined;
}

function typeName(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : 'object with a custom prototype';
}
