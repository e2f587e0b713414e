// A tail's notifications over real audit logs: after every import (folder by folder, in either
// order, and one source in shuffled chunks, so that events come late and rules are built again), LiveAlerts reports
// exactly the whole-case alerts the new events raised or grew, with the whole case's counts and
// times, Sigma's included; and over a long stream of sign-ins what the rules keep stays flat.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, DATASETS, REPO_ROOT, SIGMA_RULES } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { prng } from '../../../test/support/prng.ts';
import { generateCloudTrail } from '../../../test/bench/generate-cloudtrail.ts';
import { CaseSession } from '../case-session.ts';
import { lastEventRowid, openCaseForReading, type CaseDb } from '../store/case-db.ts';
import { caseAlertRules, evaluateRules } from './evaluate-alerts.ts';
import { LiveAlerts } from './live-alerts.ts';
import { loadRuleFolder, type LoadedRules } from './run-rules.ts';
import type { AlertNotice } from '../../../shared/domain/alert.ts';

const temp = tempDir();
let loaded: LoadedRules;

beforeAll(async () => {
  const bundled = await loadRuleFolder(path.join(REPO_ROOT, 'resources', 'rules'));
  const sigma = await loadRuleFolder(SIGMA_RULES);
  loaded = { rules: [...bundled.rules, ...sigma.rules], alertRules: bundled.alertRules, unsupported: [] };
});
afterAll(() => temp.cleanup());

type Shown = Omit<AlertNotice, 'state' | 'suppressed'>;
const shown = ({ state: _state, suppressed: _suppressed, ...a }: AlertNotice): Shown => a;
const byKey = (a: Shown, b: Shown): number => a.key.localeCompare(b.key);

/** The whole case's alerts that hold an event after `after`, as a notification shows them. */
function expectedNotices(db: CaseDb, after: number, rules = loaded, builtIn = true): Shown[] {
  return evaluateRules(db, rules, { builtIn })
    .raised.filter((a) => a.events.some((e) => e.seq > after))
    .map(({ events: _events, seqs: _seqs, ...a }) => a)
    .sort(byKey);
}

describe('notifications of a live case', () => {
  it('are the whole-case alerts the new events touched, import after import, in either order', async () => {
    const folders = readdirSync(DATASETS, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => dataset(e.name));
    let rebuilds = 0;
    let notices = 0;
    // Then one source out of time order: the GitHub log's lines in four shuffled chunks, whose
    // failed sign-ins and recoveries of one account land in groups that already have later ones.
    const random = prng(6);
    const lines = readFileSync(
      dataset('github-audit', 'azure-sentinel-sample', 'Github_sample_logs.json'),
      'utf8',
    )
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((line) => ({ line, key: random() }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.line);
    const chunks = [0, 1, 2, 3].map((n) => {
      const file = temp.file(`github-chunk-${n}.json`);
      writeFileSync(file, lines.filter((_, i) => i % 4 === n).join('\n'));
      return file;
    });
    const others = folders.filter((f) => !f.endsWith('github-audit'));
    for (const order of [folders, [...folders].reverse(), [...others, ...chunks]]) {
      const session = await CaseSession.open(temp.file(`live-${rebuilds}-${notices}.auditscope`));
      const db = openCaseForReading(session.path);
      const live = new LiveAlerts(caseAlertRules(db, loaded), loaded, 0);
      let after = 0;
      for (const folder of order) {
        await session.import([folder]);
        const got = live.newAlerts(db).map(shown).sort(byKey);
        console.log(
          path.basename(folder),
          after,
          live.rebuilds,
          got.map((g) => `${g.ruleId} ${g.count}`),
        );
        expect(got, path.basename(folder)).toEqual(expectedNotices(db, after));
        notices += got.length;
        after = lastEventRowid(db);
      }
      rebuilds += live.rebuilds;
      db.close();
      await session.close();
    }
    // Both roads were taken: notices were given, and older events had rules read the case again.
    expect(notices).toBeGreaterThan(20);
    expect(rebuilds).toBeGreaterThan(0);
  }, 180_000);

  it('of Sigma correlations settle what the grace has passed and keep only their timespans', async () => {
    // Six hours of secret reads by five principals, bursts and all (the bundled value_count and
    // event_count correlations on them: 10 distinct secrets in 10 minutes, 15 reads in a minute),
    // imported 400 at a time (~10 minutes each); three chunks come 20 minutes to an hour late
    // (read again, with a longer grace).
    const random = prng(11);
    const start = Date.UTC(2026, 9, 1);
    const reads: { time: number; line: string }[] = [];
    let time = start;
    for (let n = 0; n < 12_000; n++) {
      // Mostly a read every few seconds; a burst now and then (several a second, many secrets).
      const burst = Math.floor(n / 200) % 7 === 3;
      time += burst ? Math.floor(random() * 400) : Math.floor(random() * 3_200);
      const who = Math.floor(random() * (burst ? 2 : 5));
      const record = {
        eventVersion: '1.09',
        eventID: `read-${n}`,
        eventTime: new Date(time).toISOString(),
        eventSource: 'secretsmanager.amazonaws.com',
        eventName: 'GetSecretValue',
        awsRegion: 'eu-west-1',
        sourceIPAddress: `198.51.100.${who}`,
        userIdentity: {
          type: 'IAMUser',
          arn: `arn:aws:iam::123456789012:user/app-${who}`,
          userName: `app-${who}`,
        },
        requestParameters: { secretId: `secret-${Math.floor(random() * (burst ? 40 : 6))}` },
      };
      reads.push({ time, line: JSON.stringify(record) });
    }
    const chunks: string[][] = [];
    for (let at = 0; at < reads.length; at += 400) chunks.push(reads.slice(at, at + 400).map((r) => r.line));
    // Chunks 5, 12 and 20 arrive after the ones two to six places later.
    for (const [from, to] of [
      [5, 7],
      [12, 18],
      [20, 22],
    ] as const)
      chunks.splice(to, 0, ...chunks.splice(from, 1));
    const session = await CaseSession.open(temp.file('secrets.auditscope'));
    const db = openCaseForReading(session.path);
    const sigmaOnly = { ...loaded, alertRules: [] };
    const live = new LiveAlerts([], sigmaOnly, 0);
    const correlations = new Set(loaded.rules.filter((r) => r.kind === 'sigma-correlation').map((r) => r.id));
    let after = 0;
    let correlated = 0;
    const kept: number[] = [];
    for (const [i, lines] of chunks.entries()) {
      const file = temp.file(`secrets-${i}.json`);
      writeFileSync(file, lines.join('\n'));
      await session.import([file]);
      const got = live.newAlerts(db).map(shown).sort(byKey);
      expect(got, `chunk ${i}`).toEqual(expectedNotices(db, after, sigmaOnly, false));
      correlated += got.filter((a) => correlations.has(a.ruleId)).length;
      kept.push(live.kept());
      after = lastEventRowid(db);
    }
    expect(correlated).toBeGreaterThan(10);
    expect(live.rebuilds).toBeGreaterThan(0);
    // The matches kept: what the grace (half an hour after the late chunks) and twice ten minutes
    // hold, settled ten minutes at a time — flat, and a fraction of the 12,000 read.
    expect(Math.max(...kept.slice(20))).toBeLessThanOrEqual(Math.max(...kept.slice(8, 20)));
    expect(Math.max(...kept)).toBeLessThan(4_000);
    db.close();
    await session.close();
  }, 180_000);

  it('keep what the rules’ windows hold, however long the tail', async () => {
    // Four hours of Okta-shaped sign-ins, five a second from 40 IPs and 200 accounts (a failure
    // in three), imported ten minutes at a time: 72,000 events, through every rule.
    const session = await CaseSession.open(temp.file('long.auditscope'));
    const db = openCaseForReading(session.path);
    const live = new LiveAlerts(caseAlertRules(db, loaded), loaded, 0);
    const start = Date.UTC(2026, 10, 1);
    const kept: number[] = [];
    const notified = new Map<string, Shown>();
    let n = 0;
    for (let chunk = 0; chunk < 24; chunk++) {
      const lines: string[] = [];
      for (let i = 0; i < 3000; i++, n++) {
        const failed = n % 3 === 0;
        lines.push(
          JSON.stringify({
            uuid: `e-${n}`,
            published: new Date(start + n * 200).toISOString(),
            eventType: 'user.session.start',
            displayMessage: 'User login to Okta',
            actor: { id: `u${n % 200}`, type: 'User', alternateId: `user${n % 200}@example.com` },
            client: { ipAddress: `203.0.113.${n % 40}` },
            outcome: {
              result: failed ? 'FAILURE' : 'SUCCESS',
              reason: failed ? 'INVALID_CREDENTIALS' : null,
            },
          }),
        );
      }
      const file = temp.file(`okta-${chunk}.json`);
      writeFileSync(file, lines.join('\n'));
      await session.import([file]);
      for (const notice of live.newAlerts(db)) notified.set(notice.key, shown(notice));
      kept.push(live.kept());
    }
    const late = kept.slice(12);
    // Flat: the last two hours keep no more than the first hour's most, with some slack.
    expect(Math.max(...late)).toBeLessThanOrEqual(1.2 * Math.max(...kept.slice(0, 6)));
    expect(live.rebuilds).toBe(0);
    // Every alert was notified as the whole case has it in the end (the counts of hours of events).
    const expected = expectedNotices(db, 0);
    expect(expected.map((a) => a.ruleId)).toEqual(
      expect.arrayContaining([
        'auditscope.failures-then-success',
        'auditscope.password-spraying',
        'auditscope.suspicious-ip',
        'auditscope.targeted-account',
      ]),
    );
    expect([...notified.values()].sort(byKey)).toEqual(expected);
    db.close();
    await session.close();
  }, 180_000);
});

describe('a case session', () => {
  it('checks the rules on a thread of their own: histograms do not wait for them', async () => {
    // 100,000 events: the rules' first look reads them all (about a second), a histogram a few ms.
    const input = temp.file('cloudtrail-100k.ndjson');
    await generateCloudTrail(input, { events: 100_000, seed: 5 });
    const session = await CaseSession.open(temp.file('threads.auditscope'));
    await session.import([input]);
    await session.watchAlerts([path.join(REPO_ROOT, 'resources', 'rules'), SIGMA_RULES]);
    const done: string[] = [];
    const rules = session.raiseNewAlerts().then(() => done.push('rules'));
    // Asked once the rules are at work (their first look takes about a second here).
    await new Promise((resolve) => setTimeout(resolve, 250));
    const histogram = session.aggregate.histogram({}).then(() => done.push('histogram'));
    await Promise.all([rules, histogram]);
    expect(done).toEqual(['histogram', 'rules']);
    await session.close();
  }, 180_000);
});
