// The demo case a first launch opens: built once from resources/demo, complete, then reused.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDemoCase } from '../../electron/engine/cases/demo-case.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { tempDir } from '../support/temp-case.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

describe('demo case', () => {
  it('is built from the bundled real logs on first use, with nothing rejected, then reused', async () => {
    const casePath = path.join(temp.file('home'), 'demo.auditscope');
    const demo = path.join(REPO_ROOT, 'resources', 'demo');
    const first = await openDemoCase(casePath, demo);
    const stats = await first.read.stats();
    await first.close();
    expect(stats.events).toBeGreaterThan(300);
    expect(stats.rejects).toBe(0);
    expect(stats.ftsReady).toBe(true);
    expect(stats.bySource.map((s) => s.value).sort()).toEqual(
      ['aws.cloudtrail', 'azure.entra', 'github', 'k8s.audit', 'linux.auditd', 'okta'].sort(),
    );
    expect(existsSync(`${casePath}.building`)).toBe(false);
    const built = statSync(casePath).mtimeMs;
    const again = await openDemoCase(casePath, demo);
    expect((await again.read.stats()).events).toBe(stats.events);
    await again.close();
    expect(statSync(casePath).mtimeMs).toBe(built);
  });
});
