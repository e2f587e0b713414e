import type { ContainerOptions, ContainerSpec, RecordItem } from './container-types.ts';
import { readRecords } from './read-records.ts';

/** Yield the given chunks as an async stream (tests only). */
export async function* streamOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Read all items of `input`, cut into chunks at the given offsets. */
export async function readAll(
  input: Uint8Array | string,
  container: ContainerSpec,
  options?: ContainerOptions,
  cuts: readonly number[] = [],
): Promise<RecordItem[]> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  const chunks: Buffer[] = [];
  let previous = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(previous, cut));
    previous = cut;
  }
  const items: RecordItem[] = [];
  for await (const item of readRecords(streamOf(chunks), container, options)) items.push(item);
  return items;
}

/** Items reduced to plain comparable data (value and document spread into plain objects). */
export function comparable(items: readonly RecordItem[]): unknown[] {
  return items.map((item) =>
    item.kind === 'record'
      ? {
          ...item,
          record: {
            ...item.record,
            value: { ...item.record.value },
            document: item.record.document && { ...item.record.document },
          },
        }
      : {
          kind: 'reject',
          reject: { ...item.reject, head: Buffer.from(item.reject.head).toString('latin1') },
        },
  );
}

export function records(items: readonly RecordItem[]) {
  return items.flatMap((item) => (item.kind === 'record' ? [item.record] : []));
}

export function rejects(items: readonly RecordItem[]) {
  return items.flatMap((item) => (item.kind === 'reject' ? [item.reject] : []));
}
