import { AuditdReader } from './auditd-reader.ts';
import {
  resolveOptions,
  type ContainerOptions,
  type ContainerReader,
  type ContainerSpec,
  type RecordItem,
  type ResolvedOptions,
} from './container-types.ts';
import { CsvReader } from './csv-reader.ts';
import { JsonArrayReader } from './json-array-reader.ts';
import { NdjsonReader } from './ndjson-reader.ts';
import { toUtf8Stream } from './stream-encoding.ts';

/**
 * Stream the records of one input (already gunzipped) laid out as `container`. Memory stays
 * bounded by `maxRecordBytes` plus one chunk, whatever the input size. Every record that cannot
 * be used comes out as a reject with its offset, line and reason; nothing is dropped silently.
 *
 * Offsets are byte offsets in the stream given (a UTF-8 BOM counts, offset of the first record
 * is then 3). UTF-16 input (with BOM) is transcoded to UTF-8 first, and offsets then refer to
 * that UTF-8 transcoding (BOM excluded).
 */
export async function* readRecords(
  source: AsyncIterable<Uint8Array>,
  container: ContainerSpec,
  options?: ContainerOptions,
): AsyncGenerator<RecordItem> {
  const resolved = resolveOptions(options);
  const { chunks, startOffset } = await toUtf8Stream(source);
  const reader = createReader(container, resolved, startOffset);
  for await (const chunk of chunks) {
    for (const item of reader.push(chunk)) yield item;
  }
  for (const item of reader.finish()) yield item;
}

function createReader(
  container: ContainerSpec,
  options: ResolvedOptions,
  startOffset: number,
): ContainerReader {
  switch (container.kind) {
    case 'ndjson':
      return new NdjsonReader(options, startOffset);
    case 'json-array':
      return new JsonArrayReader(options, startOffset);
    case 'json-wrapper':
      if (container.wrapperKey === undefined) throw new TypeError('json-wrapper needs a wrapperKey');
      return new JsonArrayReader(options, startOffset, { wrapperKey: container.wrapperKey });
    case 'json-objects':
      return new JsonArrayReader(options, startOffset, { topLevelObjects: true });
    case 'csv':
      return new CsvReader(options.maxRecordBytes, startOffset, container.delimiter ?? ',');
    case 'auditd':
      return new AuditdReader(options.maxRecordBytes, startOffset);
  }
}
