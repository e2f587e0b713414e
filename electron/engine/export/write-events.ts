import type { Writable } from 'node:stream';
import type { AuditEvent } from '../../../shared/domain/audit-event.ts';
import { csvCell, makeControlsVisible, terminalSafeJson } from '../../../shared/lib/visible-text.ts';
import { formatTimeUtc } from '../../../shared/lib/format-time.ts';

/**
 * How events are written out, by the CLI and by exports: `csv` (RFC 4180, CRLF, formula-safe),
 * `json` (one array), `ndjson` (one event per line), `raw` (each original record as it was
 * imported, one per line) and, for terminals only, `table`.
 */
export type OutputFormat = 'table' | 'ndjson' | 'csv' | 'json' | 'raw';
type Page = (AuditEvent & { seq?: number })[];

const CSV_COLUMNS: [string, (e: AuditEvent) => string | undefined][] = [
  ['id', (e) => e.id],
  ['time', (e) => formatTimeUtc(e.time)],
  ['time_original', (e) => e.timeOriginal],
  ['source', (e) => e.source],
  ['action', (e) => e.action],
  ['category', (e) => e.category],
  ['outcome', (e) => e.outcome],
  ['actor_id', (e) => e.actor.id],
  ['actor_name', (e) => e.actor.name],
  ['actor_email', (e) => e.actor.email],
  ['actor_type', (e) => e.actor.type],
  ['target_type', (e) => e.target.type],
  ['target_id', (e) => e.target.id],
  ['target_name', (e) => e.target.name],
  ['ip', (e) => e.ip],
  ['user_agent', (e) => e.userAgent],
  ['session_id', (e) => e.sessionId],
  ['request_id', (e) => e.requestId],
  ['message', (e) => e.message],
];

const TABLE_COLUMNS: [string, number, (e: AuditEvent) => string][] = [
  ['TIME', 24, (e) => formatTimeUtc(e.time)],
  ['SOURCE', 14, (e) => e.source],
  ['ACTION', 34, (e) => e.action],
  ['OUTCOME', 7, (e) => e.outcome],
  ['ACTOR', 26, (e) => e.actor.name ?? e.actor.email ?? e.actor.id ?? ''],
  ['TARGET', 30, (e) => e.target.name ?? e.target.id ?? ''],
  ['IP', 0, (e) => e.ip ?? ''],
];

/**
 * Writes pages of events in a format; text never reaches the terminal with live control codes.
 * `bom` starts a CSV with a UTF-8 byte-order mark, which spreadsheet programs need to read UTF-8.
 */
export async function writeEvents(
  out: Writable,
  format: OutputFormat,
  pages: () => AsyncIterable<Page>,
  options: { bom?: boolean } = {},
): Promise<void> {
  // `auditscope query … | head` closes the pipe early, a browser can cancel a download: that is
  // the reader being done, not an error. Any other error ends the writing and is thrown below.
  let closed = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (!READER_GONE.has(error.code ?? '')) failure = error;
    closed = true;
    wake?.();
  });
  const write = (text: string): Promise<void> =>
    new Promise((resolve) => {
      if (closed || out.destroyed || out.write(text)) return resolve();
      const done = (): void => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      wake = done;
      out.on('drain', done);
      out.on('close', done);
    });
  // CSV keeps values exact for files and spreadsheets, but a terminal gets visible controls too.
  const csvText = (value: string): string =>
    csvCell((out as { isTTY?: boolean }).isTTY ? makeControlsVisible(value) : value);
  let first = true;
  if (format === 'csv')
    await write((options.bom ? '\uFEFF' : '') + CSV_COLUMNS.map(([name]) => name).join(',') + '\r\n');
  if (format === 'table') await write(tableLine(TABLE_COLUMNS.map(([name]) => name)) + '\n');
  if (format === 'json') await write('[');
  for await (const page of pages()) {
    let text = '';
    for (const { seq: _seq, ...event } of page) {
      if (format === 'ndjson') text += terminalSafeJson(JSON.stringify(event)) + '\n';
      else if (format === 'raw') text += rawLine(event.raw) + '\n';
      else if (format === 'json') text += (first ? '\n' : ',\n') + terminalSafeJson(JSON.stringify(event));
      else if (format === 'csv')
        text += CSV_COLUMNS.map(([, get]) => csvText(get(event) ?? '')).join(',') + '\r\n';
      else text += tableLine(TABLE_COLUMNS.map(([, , get]) => makeControlsVisible(get(event)))) + '\n';
      first = false;
    }
    await write(text);
    if (failure) throw failure;
    if (closed || out.destroyed) return;
  }
  if (format === 'json') await write(first ? ']\n' : '\n]\n');
  if (failure) throw failure;
}

/** Errors that mean whoever was reading has gone away. */
const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/**
 * One original record on one line: byte for byte when it is a one-line record (a JSON object, a
 * CSV row, an auditd line); a record that spanned lines (pretty-printed JSON in an array) is
 * written compact if it is JSON, else as a JSON string, so every line is one record.
 */
function rawLine(raw: string): string {
  if (!raw.includes('\n') && !raw.includes('\r')) return raw;
  try {
    return JSON.stringify(JSON.parse(raw));
  } catch {
    return JSON.stringify(raw);
  }
}

function tableLine(cells: string[]): string {
  return cells
    .map((cell, i) => {
      const width = TABLE_COLUMNS[i]?.[1] ?? 0;
      if (width === 0) return cell;
      return cell.length > width ? `${cell.slice(0, width - 1)}…` : cell.padEnd(width);
    })
    .join(' ');
}
