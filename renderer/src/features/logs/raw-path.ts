import type { StoredEvent } from '../../../../shared/contract.ts';

const parsed = new WeakMap<StoredEvent, unknown>();

/** The event's raw record as JSON (parsed once per row object), or undefined when it is not JSON. */
function rawDocument(event: StoredEvent): unknown {
  if (parsed.has(event)) return parsed.get(event);
  let value: unknown;
  try {
    value = JSON.parse(event.raw);
  } catch {
    value = undefined;
  }
  parsed.set(event, value);
  return value;
}

/**
 * The value at a dotted path of the raw record (`userIdentity.arn`), as text: objects and arrays
 * as JSON. Own properties only, so `__proto__` or `constructor` in a path reads nothing.
 */
export function rawPathValue(event: StoredEvent, path: string): string | undefined {
  let node: unknown = rawDocument(event);
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (node === undefined || node === null) return undefined;
  return typeof node === 'object' ? JSON.stringify(node) : String(node);
}
