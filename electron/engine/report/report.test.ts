// Reports of a real case, read back: the HTML as text and markup, the PDF through pdftotext.
// Hostile text in events and notes must appear literally and never as markup; the custody
// section must carry the journal head and the inputs' SHA-256; the report itself is journaled.
import { pdfText } from '../../../test/support/pdftotext.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { CHROMIUM_PATH } from '../../../test/support/chromium.ts';
import { parseSearch } from '../../../shared/query/parse-search.ts';
import { REPORT_TEMPLATES } from '../../../shared/domain/report.ts';
import { CaseSession } from '../case-session.ts';
import { verifyCase } from '../cases/verify-case.ts';

const temp = tempDir();
const casePath = temp.file('report.auditscope');
let session: CaseSession;
const HOSTILE_NOTE =
  'Exfil via **S3**: <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))';

function search(text: string) {
  const parsed = parseSearch(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.filter ? { filter: parsed.filter } : {};
}

beforeAll(async () => {
  process.env.CHROMIUM_PATH ??= CHROMIUM_PATH;
  session = await CaseSession.open(casePath);
  await session.import([
    dataset('aws-cloudtrail', 'stratus-red-team-detonation-logs'),
    dataset('okta-system-log'),
  ]);
  const handle = await session.read.openResult({ ...search('outcome:failure'), order: 'asc' });
  const failed = await session.read.rows(handle, 0, 2);
  await session.read.closeResult(handle);
  const seqs = failed.map((e) => e.seq);
  await session.annotate(seqs, { star: true });
  await session.annotate(seqs, { addTag: 'recon' });
  await session.annotate([seqs[0] as number], { note: HOSTILE_NOTE });
  await session.saveNote({
    time: null,
    body: '## Scope\nCloudTrail of the **sandbox** account; `</style>` too.',
  });
}, 60_000);
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

describe('reports', () => {
  it('writes an HTML case report: summary, chart, marked events with notes, actors, custody', async () => {
    const before = await verifyCase(casePath);
    const file = temp.file('case.html');
    const summary = await session.exportEvents({}, { file, format: 'html', template: 'case' });
    const html = readFileSync(file, 'utf8');
    expect(summary.sha256).toBe(createHash('sha256').update(html).digest('hex'));

    // No script anywhere, a CSP that forbids one, hostile text escaped.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain(
      'content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"',
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<strong>S3</strong>');
    expect(html).toContain('<strong>sandbox</strong>');
    expect(html).toContain('&lt;/style&gt;');

    for (const heading of [
      'Summary',
      'Scope',
      'Timeline',
      'Case notes',
      'Marked events',
      'Actors',
      'Chain of custody',
    ])
      expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toMatch(/<svg[^>]*viewBox/);
    expect(html).toMatch(/>\s*recon\s*<\/span/);
    // Custody: the head as it stood when the report was made, every input with its SHA-256.
    expect(html).toContain(before.journal.head as string);
    for (const input of before.inputs) expect(html).toContain(input.sha256 as string);

    const journal = await session.read.journal(0, 1000);
    const last = journal[journal.length - 1];
    expect(last?.action).toBe('report');
    expect(last?.detail).toMatchObject({ file, format: 'html', template: 'case', sha256: summary.sha256 });
    expect((await verifyCase(casePath)).ok).toBe(true);
  });

  it('writes each compliance template over its own search, counting what the engine counts', async () => {
    for (const template of REPORT_TEMPLATES.filter((t) => t.id !== 'case')) {
      const file = temp.file(`${template.id}.html`);
      const summary = await session.exportEvents({}, { file, format: 'html', template: template.id });
      expect(summary.events, template.id).toBe(await session.read.total(search(template.search)));
      const html = readFileSync(file, 'utf8');
      expect(html).toContain(`<h1>${template.title}</h1>`);
      expect(html).toContain('<h2>Chain of custody</h2>');
    }
    expect((await session.read.total(search(REPORT_TEMPLATES[3].search))) > 0).toBe(true);
  });

  it('prints a PDF with scripts off whose text carries custody and the payloads literally', async () => {
    const file = temp.file('case.pdf');
    const head = (await verifyCase(casePath)).journal.head as string;
    const summary = await session.exportEvents(
      {},
      { file, format: 'pdf', template: 'case', title: 'Incident 42' },
    );
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(summary.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const text = pdfText(file);
    expect(text).toContain('Incident 42');
    expect(text).toContain('Chain of custody');
    expect(text.replace(/\s+/g, '')).toContain(head);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('<img src=x onerror=alert(2)>');
  }, 60_000);

  it('leaves nothing behind when the PDF cannot be printed', async () => {
    const file = temp.file('failed.pdf');
    await expect(
      session.exportEvents(
        {},
        {
          file,
          format: 'pdf',
          printPdf: () => Promise.reject(new Error('no browser here')),
        },
      ),
    ).rejects.toThrow('no browser here');
    expect(() => readFileSync(file)).toThrow();
    expect(() => readFileSync(`${file}.partial`)).toThrow();
  });
});
