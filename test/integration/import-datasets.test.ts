// Imports every real dataset through the real engine (worker threads, SQLite case file) and checks
// the counts against ../shared/datasets/PROVENANCE.md, then that a second import adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSession } from '../../electron/engine/case-session.ts';
import type { ImportSummary } from '../../shared/domain/import.ts';
import { DATASETS, dataset } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

const EXPECTED: [folder: string, format: string, events: number][] = [
  ['aws-cloudtrail/stratus-red-team-detonation-logs', 'aws.cloudtrail', 175],
  ['aws-cloudtrail/datadog-forwarder-export', 'aws.cloudtrail', 11],
  ['aws-cloudtrail/otrf', 'aws.cloudtrail', 151 + 103],
  ['okta-system-log', 'okta', 50],
  ['github-audit', 'github', 63],
  ['kubernetes-audit', 'k8s.audit', 23],
  ['azure-ad-m365', 'azure.entra', 4],
  // auditd: events are distinct audit(time:serial) groups (20), plus 25 auoms Syslog rows.
  ['linux-auditd', 'linux.auditd', 20 + 25],
  ['windows-eventlog', 'generic', 184],
];

describe('importing the real datasets', () => {
  const temp = tempDir();
  let session: CaseSession;
  const summaries = new Map<string, ImportSummary>();

  beforeAll(async () => {
    session = await CaseSession.open(temp.file('datasets.auditscope'));
    for (const [folder] of EXPECTED) summaries.set(folder, await session.import([dataset(folder)]));
  });
  afterAll(async () => {
    await session.close();
    temp.cleanup();
  });

  it.each(EXPECTED)('%s → %s, %i events, nothing rejected', (folder, format, events) => {
    const summary = summaries.get(folder) as ImportSummary;
    for (const file of summary.files) {
      expect(file.status, `${file.path}: ${file.error ?? ''}`).toBe('complete');
      expect(file.format, file.path).toBe(format);
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(summary.totals.rejected).toBe(0);
    expect(summary.totals.accepted + summary.totals.duplicates).toBe(events);
  });

  it('keeps every raw record byte for byte and its origin', async () => {
    const handle = await session.read.openResult({ order: 'asc' });
    const total = await session.read.count(handle);
    const rows = await session.read.rows(handle, 0, total);
    expect(rows).toHaveLength(total);
    const { readFileSync } = await import('node:fs');
    const imports = new Map((await session.read.imports()).map((i) => [i.id, i]));
    for (const event of rows) {
      const origin = event.origin as { importId: number; offset: number };
      const file = imports.get(origin.importId);
      const bytes = readFileSync(file?.path as string);
      // auditd groups join their lines; all other records are one contiguous slice of the file.
      if (event.source === 'linux.auditd' && !event.raw.startsWith('{')) {
        expect(bytes.toString('utf8')).toContain(event.raw.split('\n')[0]);
      } else {
        expect(
          bytes.subarray(origin.offset, origin.offset + Buffer.byteLength(event.raw)).toString('utf8'),
        ).toBe(event.raw);
      }
    }
  });

  it('adds nothing on a second import of everything and counts every duplicate', async () => {
    const again = await session.import(EXPECTED.map(([folder]) => dataset(folder)));
    const first = [...summaries.values()];
    const stats = await session.read.stats();
    expect(stats.events).toBe(first.reduce((n, s) => n + s.totals.accepted, 0));
    expect(again.totals.accepted).toBe(0);
    expect(again.totals.duplicates).toBe(
      first.reduce((n, s) => n + s.totals.accepted + s.totals.duplicates, 0),
    );
    expect(again.totals.rejected).toBe(0);
  });

  it('reads the same Okta events pretty-printed, one object after another, as duplicates', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const lines = readFileSync(
      dataset('okta-system-log', 'cribl-okta-rest', 'okta_system_log.part1.ndjson'),
      'utf8',
    )
      .split('\n')
      .filter((line) => line.trim() !== '');
    const pretty = temp.file('okta-pretty.json');
    writeFileSync(pretty, lines.map((line) => JSON.stringify(JSON.parse(line), null, 2)).join('\n'));
    const summary = await session.import([pretty]);
    expect(summary.files[0]).toMatchObject({ format: 'okta', container: 'json-objects', status: 'complete' });
    expect(summary.totals).toMatchObject({ accepted: 0, duplicates: lines.length, rejected: 0 });
  });

  it("reports a folder's non-log files as unrecognized without failing the rest", async () => {
    const summary = await session.import([DATASETS]);
    const provenance = summary.files.find((f) => f.path.endsWith('PROVENANCE.md'));
    expect(provenance?.status).toBe('unrecognized');
    expect(summary.files.filter((f) => f.status === 'complete').length).toBe(summary.files.length - 1);
  });
});
