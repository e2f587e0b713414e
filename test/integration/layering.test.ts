// DESIGN.md §3 layering is enforced by lint: a forbidden import fails `npm test`, not a review.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${file}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('layering', () => {
  it.each([
    ['shared/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['shared/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/engine/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    [
      'electron/engine/x.ts',
      "import { x as y } from '../../renderer/src/lib/api.ts';\nexport const x = y;\n",
    ],
    ['renderer/src/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    [
      'renderer/src/x.ts',
      "import { CaseSession } from '../../electron/engine/case-session.ts';\nexport const x = CaseSession;\n",
    ],
    [
      'electron/preload/x.ts',
      "import { CaseSession } from '../engine/case-session.ts';\nexport const x = CaseSession;\n",
    ],
  ])('%s may not: %s', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it('allows what each layer may import', async () => {
    expect(
      await ruleIds('electron/engine/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n"),
    ).toEqual([]);
    expect(await ruleIds('renderer/src/x.ts', "import { z } from 'zod';\nexport const x = z;\n")).toEqual([]);
  });

  it('forbids rendering log text as HTML', async () => {
    const code =
      'export const X = (p: { t: string }) => <div dangerouslySetInnerHTML={{ __html: p.t }} />;\n';
    expect(await ruleIds('renderer/src/X.tsx', code)).toContain('no-restricted-syntax');
  });
});
