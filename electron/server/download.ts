import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  EXPORT_REQUEST_FIELD,
  ExportDownload,
  isReportFormat,
  type ExportFormat,
} from '../../shared/domain/export.ts';

/** A selection of 10,000 events is ~150 KB of JSON: a form larger than this is refused. */
const MAX_FORM_BYTES = 2 * 2 ** 20;

/** The urlencoded form's request field, or undefined when the body is too large or not a form. */
async function formRequest(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get(EXPORT_REQUEST_FIELD) ?? undefined;
}
import type { CaseHost } from '../engine/cases/case-host.ts';
import { exportPages } from '../engine/export/export-events.ts';
import { writeEvents } from '../engine/export/write-events.ts';

const CONTENT_TYPES: Record<ExportFormat, [string, string]> = {
  csv: ['text/csv; charset=utf-8', 'csv'],
  json: ['application/json', 'json'],
  ndjson: ['application/x-ndjson', 'ndjson'],
  raw: ['text/plain; charset=utf-8', 'log'],
  html: ['text/html; charset=utf-8', 'html'],
  pdf: ['application/pdf', 'pdf'],
};

/**
 * Serve mode's export (POST /export, the page's download form; `export.start` is desktop only):
 * streams every event of the requested query as a download, page by page from the aggregate
 * thread; a cancelled download stops the reading. The request is validated like any contract call.
 */
export async function sendDownload(
  request: IncomingMessage,
  cases: CaseHost,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  let parsed;
  try {
    parsed = ExportDownload.safeParse(JSON.parse((await formRequest(request)) ?? ''));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    response.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('not a valid export request\n');
    return;
  }
  const { query, format, bom, template } = parsed.data;
  const session = await cases.ready();
  const [type, extension] = CONTENT_TYPES[format];
  // ASCII only in the header: the case name is the analyst's, but stays out of header syntax.
  const name = `${cases.info().name.replace(/[^\w.-]+/g, '_')}-${isReportFormat(format) ? 'report' : 'export'}.${extension}`;
  if (isReportFormat(format)) {
    // A report is made whole (and journaled) before a byte is sent: it is written to a private
    // temporary folder, sent, and removed.
    const dir = await mkdtemp(path.join(tmpdir(), 'auditscope-report-'));
    try {
      const file = path.join(dir, name);
      await session.exportEvents(query, { file, format, template });
      response.writeHead(200, {
        ...headers,
        'Content-Type': type,
        'Content-Disposition': `attachment; filename="${name}"`,
      });
      await pipeline(createReadStream(file), response);
    } catch (error) {
      if (response.headersSent) response.destroy();
      else {
        response.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        response.end(`the report could not be made: ${(error as Error).message}\n`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return;
  }
  response.writeHead(200, {
    ...headers,
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${name}"`,
  });
  try {
    await writeEvents(
      response,
      format,
      () => exportPages(session.aggregate, query, () => response.destroyed),
      { bom },
    );
    response.end();
  } catch {
    // Headers are gone already: cutting the response short tells the browser the download failed.
    response.destroy();
  }
}
