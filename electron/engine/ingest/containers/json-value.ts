import type { JsonObject } from '../types.ts';

export type JsonRecordValue =
  { ok: true; value: JsonObject; document?: JsonObject } | { ok: false; reason: string };

/**
 * Parse one JSON record and check its shape: it must be an object (or a JSON string that holds
 * one, as some exports wrap every event in a string) nested no deeper than maxDepth.
 */
export function parseJsonRecord(text: string, maxDepth: number): JsonRecordValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  let document: JsonObject | undefined;
  if (typeof parsed === 'string') {
    const inner = parseWrappedObject(parsed);
    if (inner === undefined) return { ok: false, reason: 'not a JSON object' };
    parsed = inner;
    document = inner;
  }
  if (!isJsonObject(parsed)) return { ok: false, reason: 'not a JSON object' };
  if (exceedsDepth(parsed, maxDepth)) return { ok: false, reason: `nesting deeper than ${maxDepth} levels` };
  return document === undefined ? { ok: true, value: parsed } : { ok: true, value: parsed, document };
}

function parseWrappedObject(text: string): JsonObject | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const inner: unknown = JSON.parse(text);
    return isJsonObject(inner) ? inner : undefined;
  } catch {
    return undefined;
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when `root` nests deeper than maxDepth (the root object is level 1). Iterative with an
 * explicit stack: a 100k-deep value must not overflow the call stack (reliability §3.3).
 */
export function exceedsDepth(root: object, maxDepth: number): boolean {
  const values: object[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return true;
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) {
        if (typeof item === 'object' && item !== null) {
          values.push(item);
          depths.push(depth + 1);
        }
      }
    } else {
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const item = record[key];
        if (typeof item === 'object' && item !== null) {
          values.push(item);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}
