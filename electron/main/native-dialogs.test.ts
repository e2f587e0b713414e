import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-case.ts';
import { CaseSession } from '../engine/case-session.ts';
import { CaseHost } from '../engine/cases/case-host.ts';
import { nativeDialogCalls, type Dialogs } from './native-dialogs.ts';

const temp = tempDir();
afterAll(() => temp.cleanup());

function scriptedDialogs(answers: { open?: string[]; save?: string }) {
  const asked: unknown[] = [];
  const dialogs: Dialogs = {
    showOpenDialog: async (options) => {
      asked.push(options);
      return { canceled: answers.open === undefined, filePaths: answers.open ?? [] };
    },
    showSaveDialog: async (options) => {
      asked.push(options);
      return answers.save === undefined ? { canceled: true } : { canceled: false, filePath: answers.save };
    },
  };
  return { dialogs, asked };
}

describe('native dialogs', () => {
  it('opens the case picked, creates the one named, and does nothing when cancelled', async () => {
    const host = new CaseHost(await CaseSession.open(temp.file('first.auditscope')));
    const existing = temp.file('second.auditscope');
    await (await CaseSession.open(existing)).close();
    try {
      const open = nativeDialogCalls(scriptedDialogs({ open: [existing] }).dialogs, host, temp.dir);
      expect(await open['shell.chooseCase']('open')).toEqual({ path: existing, name: 'second' });
      expect(host.info().path).toBe(existing);

      const created = temp.file('third');
      const create = nativeDialogCalls(scriptedDialogs({ save: created }).dialogs, host, temp.dir);
      expect(await create['shell.chooseCase']('create')).toEqual({
        path: `${created}.auditscope`,
        name: 'third',
      });
      expect(existsSync(`${created}.auditscope`)).toBe(true);

      const cancelled = nativeDialogCalls(scriptedDialogs({}).dialogs, host, temp.dir);
      expect(await cancelled['shell.chooseCase']('open')).toBeNull();
      expect(await cancelled['shell.chooseCase']('create')).toBeNull();
      expect(host.info().name).toBe('third');
    } finally {
      await host.close();
    }
  });

  it('picks an SQLite database or a PEM certificate for a source, each with its own filters', async () => {
    const host = new CaseHost(await CaseSession.open(temp.file('sources.auditscope')));
    try {
      const pem = temp.file('server-ca.pem');
      const { dialogs, asked } = scriptedDialogs({ open: [pem] });
      const calls = nativeDialogCalls(dialogs, host, temp.dir);
      expect(await calls['shell.chooseSourceFile']('certificate')).toBe(pem);
      expect(await calls['shell.chooseSourceFile']('database')).toBe(pem);
      expect(asked).toMatchObject([
        {
          title: 'Certificate to trust for this server',
          filters: [{ extensions: ['pem', 'crt', 'cer'] }, {}],
        },
        {
          title: 'SQLite database to read',
          filters: [{ extensions: ['sqlite', 'sqlite3', 'db', 'db3'] }, {}],
        },
      ]);
      const cancelled = nativeDialogCalls(scriptedDialogs({}).dialogs, host, temp.dir);
      expect(await cancelled['shell.chooseSourceFile']('certificate')).toBeNull();
    } finally {
      await host.close();
    }
  });

  it('never creates a case over a file the analyst agreed to replace', async () => {
    const host = new CaseHost(await CaseSession.open(temp.file('keep.auditscope')));
    const evidence = temp.file('evidence.auditscope');
    writeFileSync(evidence, 'not to be overwritten');
    try {
      const calls = nativeDialogCalls(scriptedDialogs({ save: evidence }).dialogs, host, temp.dir);
      await expect(calls['shell.chooseCase']('create')).rejects.toThrow(/already exists/);
      expect(host.info().name).toBe('keep');
    } finally {
      await host.close();
    }
  });

  it('suggests an export file in the documents folder, whatever name the page proposes', async () => {
    const host = new CaseHost(await CaseSession.open(temp.file('exports.auditscope')));
    try {
      const chosen = scriptedDialogs({ save: '/home/a/out.csv' });
      const calls = nativeDialogCalls(chosen.dialogs, host, '/home/a/Documents');
      expect(await calls['shell.chooseExportFile']('csv', '../../etc/cron.d/x')).toBe('/home/a/out.csv');
      expect(chosen.asked[0]).toMatchObject({
        defaultPath: '/home/a/Documents/x.csv',
        filters: [{ extensions: ['csv'] }],
      });
      await calls['shell.chooseExportFile']('raw', 'incident <42>');
      expect(chosen.asked[1]).toMatchObject({ defaultPath: '/home/a/Documents/incident _42_.log' });
      expect(
        await nativeDialogCalls(scriptedDialogs({}).dialogs, host, '/d')['shell.chooseExportFile'](
          'json',
          'x',
        ),
      ).toBeNull();
    } finally {
      await host.close();
    }
  });

  it('picks files or folders to import, several at once, nothing when cancelled', async () => {
    const host = new CaseHost(await CaseSession.open(temp.file('imports.auditscope')));
    try {
      const files = scriptedDialogs({ open: ['/logs/a.json', '/logs/b.csv'] });
      expect(await nativeDialogCalls(files.dialogs, host, temp.dir)['shell.chooseImport']('files')).toEqual([
        '/logs/a.json',
        '/logs/b.csv',
      ]);
      expect(files.asked[0]).toMatchObject({ properties: ['openFile', 'multiSelections'] });
      const folders = scriptedDialogs({ open: ['/logs'] });
      await nativeDialogCalls(folders.dialogs, host, temp.dir)['shell.chooseImport']('folder');
      expect(folders.asked[0]).toMatchObject({ properties: ['openDirectory', 'multiSelections'] });
      expect(
        await nativeDialogCalls(scriptedDialogs({}).dialogs, host, temp.dir)['shell.chooseImport']('files'),
      ).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
