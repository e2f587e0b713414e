import { createHash } from 'node:crypto';

const MAX_DEPTH = 64;

/**
 * A deterministic event id: the source's own id where it has one, else a SHA-256 over the source
 * and the canonical form of the record (keys sorted, no whitespace), so the same event re-serialized
 * with other key order or spacing, or arriving through another file or its gzip, gets the same id.
 */
export function eventId(source: string, sourceEventId: string | undefined, value: unknown): string {
  if (sourceEventId) return sourceEventId;
  return `sha256:${createHash('sha256').update(source).update('\n').update(canonicalJson(value)).digest('hex')}`;
}

/** JSON with object keys sorted at every level; iterative, with a depth cap, for hostile input. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // Work items: a value to write at a depth, or a literal piece of punctuation.
  const stack: ({ value: unknown; depth: number } | string)[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number } | string;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    const node = item.value;
    if (node === null || typeof node !== 'object') {
      out.push(JSON.stringify(node ?? null) ?? 'null');
      continue;
    }
    if (item.depth >= MAX_DEPTH) {
      // Containers reject records this deep; never recurse (JSON.stringify would) on what remains.
      out.push('"[nested too deep]"');
      continue;
    }
    if (Array.isArray(node)) {
      const parts: ({ value: unknown; depth: number } | string)[] = ['['];
      node.forEach((child, i) => {
        if (i > 0) parts.push(',');
        parts.push({ value: child, depth: item.depth + 1 });
      });
      parts.push(']');
      for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i] as string);
      continue;
    }
    const keys = Object.keys(node).sort();
    const parts: ({ value: unknown; depth: number } | string)[] = ['{'];
    keys.forEach((key, i) => {
      parts.push(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
      parts.push({ value: (node as Record<string, unknown>)[key], depth: item.depth + 1 });
    });
    parts.push('}');
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i] as string);
  }
  return out.join('');
}
