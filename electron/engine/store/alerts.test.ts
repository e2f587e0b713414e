// Decisions on alerts, suppressions and thresholds: kept with the case, laid over the alerts the
// rules raise, journaled with the analyst, and the thresholds change what the built-in rules find.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../../../test/support/paths.ts';
import { tempDir } from '../../../test/support/temp-case.ts';
import { CaseSession } from '../case-session.ts';
import { DEFAULT_DETECTION_SETTINGS } from '../../../shared/domain/detection-settings.ts';
import type { Alert } from '../../../shared/domain/alert.ts';

const temp = tempDir();
let session: CaseSession;

beforeAll(async () => {
  session = await CaseSession.open(temp.file('alerts.auditscope'));
  await session.import([dataset('github-audit')]);
});
afterAll(async () => {
  await session.close();
  temp.cleanup();
});

const byRule = (alerts: Alert[], id: string): Alert[] => alerts.filter((a) => a.ruleId === id);

async function journalActions(): Promise<{ action: string; detail: Record<string, unknown> }[]> {
  const entries = await session.aggregate.journal(0, 1000);
  return entries.map((e) => ({ action: e.action, detail: e.detail as Record<string, unknown> }));
}

describe('alert decisions', () => {
  it('acknowledge and resolve with a note, journaled with the analyst, and reopen', async () => {
    const [alert] = byRule((await session.alerts([])).alerts, 'auditscope.failures-then-success');
    if (!alert) throw new Error('the GitHub sample raises a failures-then-success alert');
    expect(alert.state).toBeUndefined();
    const decision = { key: alert.key, ruleId: alert.ruleId, entity: alert.entity, lastSeen: alert.lastSeen };
    await session.decideAlert({ ...decision, status: 'acknowledged', note: 'looking' });
    await session.decideAlert({
      ...decision,
      status: 'resolved',
      note: 'user **mistyped**; confirmed by phone',
    });
    const [after] = byRule((await session.alerts([])).alerts, 'auditscope.failures-then-success');
    expect(after?.state).toMatchObject({
      status: 'resolved',
      note: 'user **mistyped**; confirmed by phone',
      lastSeen: alert.lastSeen,
    });
    expect(after?.state?.analyst).toBeTruthy();
    const journal = (await journalActions()).filter((e) => e.action.startsWith('alert.'));
    expect(journal.map((e) => e.action)).toEqual(['alert.acknowledged', 'alert.resolved']);
    expect(journal[1]?.detail).toMatchObject({
      key: alert.key,
      rule: alert.ruleId,
      note: 'user **mistyped**; confirmed by phone',
    });
    expect(journal[1]?.detail.analyst).toBe(after?.state?.analyst);
    await session.decideAlert({ ...decision, status: 'open', note: 'again' });
    const [reopened] = byRule((await session.alerts([])).alerts, 'auditscope.failures-then-success');
    expect(reopened?.state?.status).toBe('open');
  });

  it('suppress a rule for one entity, listed apart, and lift it', async () => {
    const [alert] = byRule((await session.alerts([])).alerts, 'auditscope.api-key-change');
    if (!alert?.entity) throw new Error('the GitHub sample raises an API-key alert for its user');
    // Case does not matter: entities compare as searches do.
    const entity = { fields: alert.entity.fields, values: alert.entity.values.map((v) => v.toUpperCase()) };
    await session.suppressAlerts({ ruleId: alert.ruleId, entity, note: 'token rotation job' });
    const report = await session.alerts([]);
    expect(byRule(report.alerts, 'auditscope.api-key-change').every((a) => a.suppressed)).toBe(true);
    expect(byRule(report.alerts, 'auditscope.mfa-change').some((a) => a.suppressed)).toBe(false);
    expect(report.suppressions).toMatchObject([{ ruleId: alert.ruleId, entity, note: 'token rotation job' }]);
    await session.unsuppressAlerts({ ruleId: alert.ruleId, entity: alert.entity });
    const lifted = await session.alerts([]);
    expect(lifted.suppressions).toEqual([]);
    expect(byRule(lifted.alerts, 'auditscope.api-key-change').some((a) => a.suppressed)).toBe(false);
    expect((await journalActions()).map((e) => e.action)).toEqual(
      expect.arrayContaining(['alert.suppressed', 'alert.unsuppressed']),
    );
  });

  it('thresholds are the case’s: lowering one raises an alert, journaled', async () => {
    expect(byRule((await session.alerts([])).alerts, 'auditscope.targeted-account')).toEqual([]);
    expect(await session.aggregate.detectionSettings()).toEqual(DEFAULT_DETECTION_SETTINGS);
    await session.setDetectionSettings({ ...DEFAULT_DETECTION_SETTINGS, accountFailuresAbove: 1 });
    expect((await session.aggregate.detectionSettings()).accountFailuresAbove).toBe(1);
    const targeted = byRule((await session.alerts([])).alerts, 'auditscope.targeted-account');
    expect(targeted.map((a) => [a.entity?.values, a.count])).toEqual([[['siteshjha11'], 2]]);
    expect((await journalActions()).some((e) => e.action === 'detection.settings')).toBe(true);
  });
});
