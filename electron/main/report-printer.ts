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
  return async (html) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'auditscope-print-'));
    const file = path.join(dir, 'report.html');
    const url = pathToFileURL(file).href;
    await writeFile(file, html, 'utf8');
    session
      .fromPartition(REPORT_PARTITION)
      .webRequest.onBeforeRequest((details, callback) => callback({ cancel: details.url !== url }));
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
      await rm(dir, { recursive: true, force: true });
    }
  };
}
