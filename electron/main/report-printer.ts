import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';
import type { PdfPrinter } from '../engine/report/pdf-printer.ts';
import { REPORT_PARTITION, reportPrintWindowOptions } from './window-options.ts';

/**
 * The desktop app prints reports with its own Chromium: the report is written to a private
 * temporary folder, loaded in a hidden window with JavaScript off whose session refuses every
 * request but that one file, printed, and removed.
 */
export function electronPdfPrinter(): PdfPrinter {
  // One request filter for the print session (a session keeps one): only the files being printed.
  const printing = new Set<string>();
  let filtering = false;
  return async (html) => {
    if (!filtering) {
      session
        .fromPartition(REPORT_PARTITION)
        .webRequest.onBeforeRequest((details, callback) => callback({ cancel: !printing.has(details.url) }));
      filtering = true;
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'auditscope-print-'));
    const file = path.join(dir, 'report.html');
    const url = pathToFileURL(file).href;
    await writeFile(file, html, 'utf8');
    printing.add(url);
    const win = new BrowserWindow(reportPrintWindowOptions());
    try {
      win.webContents.on('will-navigate', (event) => event.preventDefault());
      win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      await win.loadURL(url);
      return await win.webContents.printToPDF({
        pageSize: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
      });
    } finally {
      win.destroy();
      printing.delete(url);
      await rm(dir, { recursive: true, force: true });
    }
  };
}
