// Reference test T-E8: the desktop page may import or open only what the analyst handed over.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../test/support/temp-case.ts';
import { CaseSession } from '../engine/case-session.ts';
import { CaseHost } from '../engine/cases/case-host.ts';
import { implementContract, type Implementation } from '../engine/dispatch.ts';
import { desktopImplementation } from './desktop-calls.ts';
import type { Dialogs } from './native-dialogs.ts';
import { PathGrants } from './path-grants.ts';
import { MemorySecrets } from '../engine/sources/secrets.ts';
import { SourceRegistry } from '../engine/sources/source-registry.ts';

const temp = tempDir();
let host: CaseHost;
let engine: Implementation;
const sources = new SourceRegistry(undefined, new MemorySecrets({}));
const picked: string[] = [];
let savedAs: string | undefined;
const dialogs: Dialogs = {
  showOpenDialog: async () => ({ canceled: false, filePaths: [...picked] }),
  showSaveDialog: async () =>
    savedAs === undefined ? { canceled: true } : { canceled: false, filePath: savedAs },
};
const logs = temp.file('logs');

beforeAll(async () => {
  mkdirSync(logs);
  writeFileSync(path.join(logs, 'a.ndjson'), '{"time":"2024-01-01T00:00:00Z","user":"a","action":"x"}\n');
  host = new CaseHost(await CaseSession.open(temp.file('grants.auditscope')));
  engine = implementContract(host, sources);
});
afterAll(async () => {
  await host.close();
  temp.cleanup();
});

function desktop(grants = new PathGrants()) {
  const importSpy = vi.fn(engine['import.files'] as (...a: unknown[]) => Promise<unknown>);
  const openSpy = vi.fn(engine['case.open'] as (...a: unknown[]) => Promise<unknown>);
  const calls = desktopImplementation({
    engine: { ...engine, 'import.files': importSpy, 'case.open': openSpy } as Implementation,
    sources,
    cases: host,
    dialogs,
    grants,
    exportTargets: new PathGrants(),
    documentsDir: temp.dir,
    onRecentChanged: () => undefined,
    onPageReady: () => undefined,
  }) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return { calls, importSpy, openSpy, grants };
}

describe('paths the desktop page may use', () => {
  it('refuses to import anything not picked or dropped, before any file is touched', async () => {
    const fifo = temp.file('pipe');
    spawnSync('mkfifo', [fifo]);
    const linkToFolder = temp.file('link-to-etc');
    symlinkSync('/etc', linkToFolder);
    const { calls, importSpy } = desktop();
    for (const hostile of [
      '/etc/passwd',
      path.join(homedir(), '.ssh', 'id_rsa'),
      '\\\\.\\pipe\\x',
      '/dev/zero',
      fifo,
      linkToFolder,
      path.join(logs, 'a.ndjson'),
      'relative/a.json',
    ]) {
      await expect(calls['import.files']?.([hostile], {}), hostile).rejects.toThrow(
        /was not picked or dropped in this window/,
      );
    }
    expect(importSpy).not.toHaveBeenCalled();
  });

  it('imports what was picked in the dialog, and files inside a picked folder, but cannot climb out', async () => {
    const { calls, importSpy } = desktop();
    picked.splice(0, picked.length, logs);
    expect(await calls['shell.chooseImport']?.('folder')).toEqual([logs]);
    await expect(calls['import.files']?.([path.join(logs, 'a.ndjson')], {})).resolves.toMatchObject({});
    await expect(calls['import.files']?.([`${logs}/../grants.auditscope`], {})).rejects.toThrow(/not picked/);
    await expect(calls['import.files']?.([`${logs}-sibling/x.json`], {})).rejects.toThrow(/not picked/);
    // A link inside the granted folder counts as where it leads.
    symlinkSync('/etc', path.join(logs, 'etc-link'));
    await expect(calls['import.files']?.([path.join(logs, 'etc-link', 'passwd')], {})).rejects.toThrow(
      /not picked/,
    );
    expect(importSpy).toHaveBeenCalledTimes(1);
  });

  it('imports a file the preload reported as dropped', async () => {
    const grants = new PathGrants();
    grants.grant(path.join(logs, 'a.ndjson'));
    const { calls, importSpy } = desktop(grants);
    await calls['import.files']?.([path.join(logs, 'a.ndjson')], {});
    expect(importSpy).toHaveBeenCalledTimes(1);
  });

  it('opens only recent or handed-over cases, and creates cases only through the save dialog', async () => {
    const other = temp.file('other.auditscope');
    await (await CaseSession.open(other)).close();
    const { calls, openSpy, grants } = desktop();
    await expect(calls['case.open']?.(other)).rejects.toThrow(/not picked in this window/);
    await expect(calls['case.create']?.(temp.file('new.auditscope'))).rejects.toThrow(/File ▸ New Case/);
    expect(openSpy).not.toHaveBeenCalled();
    grants.grant(other); // as when the OS opens it, or a second launch names it
    await expect(calls['case.open']?.(other)).resolves.toMatchObject({ name: 'other' });
    // Now on the recent list: it may be reopened from there.
    await expect(calls['case.open']?.(temp.file('grants.auditscope'))).resolves.toMatchObject({
      name: 'grants',
    });
  });
});

describe('files an export may write', () => {
  it('only the one chosen in the save dialog', async () => {
    const { calls } = desktop();
    const job = (path: string) => ({ format: 'csv', path, jobId: 'e1' });
    for (const target of [path.join(homedir(), '.bashrc'), temp.file('elsewhere.csv'), '/etc/cron.d/x']) {
      await expect(calls['export.start']?.({}, job(target)), target).rejects.toThrow(
        /was not chosen in this window/,
      );
    }
    savedAs = temp.file('chosen.csv');
    expect(await calls['shell.chooseExportFile']?.('csv', '../../etc/evil')).toBe(savedAs);
    await expect(calls['export.start']?.({}, job(savedAs))).resolves.toMatchObject({
      file: savedAs,
      format: 'csv',
    });
    // Not a folder grant: nothing beside or below the chosen file.
    await expect(calls['export.start']?.({}, job(`${savedAs}/x`))).rejects.toThrow(/not chosen/);
  });
});

describe('SQLite sources', () => {
  it('read only a database file picked in the dialog', async () => {
    const { calls } = desktop();
    const draft = (file: string) => ({ name: 'app', kind: 'sqlite', tls: 'disable', file });
    const browserHistory = path.join(homedir(), '.config', 'chromium', 'Default', 'History');
    await expect(calls['source.save']?.(draft(browserHistory), { action: 'keep' })).rejects.toThrow(
      /was not picked/,
    );
    picked.splice(0, picked.length, temp.file('grants.auditscope'));
    const file = (await calls['shell.chooseSourceFile']?.('database')) as string;
    await expect(calls['source.save']?.(draft(file), { action: 'keep' })).resolves.toMatchObject({ file });
    // A certificate picked for a pinned server does not make its file readable as a database.
    picked.splice(0, picked.length, temp.file('pinned.pem'));
    const pem = (await calls['shell.chooseSourceFile']?.('certificate')) as string;
    await expect(calls['source.save']?.(draft(pem), { action: 'keep' })).rejects.toThrow(/was not picked/);
    // Picked as a source, a file is not thereby importable.
    await expect(calls['import.files']?.([file], {})).rejects.toThrow(/not picked/);
    // Two steps cannot smuggle a file in: a PostgreSQL source keeps no file to turn into SQLite later.
    const postgres = (await calls['source.save']?.(
      {
        name: 'pg',
        kind: 'postgres',
        host: 'db',
        database: 'app',
        user: 'u',
        tls: 'verify',
        file: browserHistory,
      },
      { action: 'keep' },
    )) as { id: string; file?: string };
    expect(postgres.file).toBeUndefined();
    await expect(
      calls['source.save']?.({ ...draft(browserHistory), id: postgres.id }, { action: 'keep' }),
    ).rejects.toThrow(/was not picked/);
  });
});

describe('the engine refuses what is not a regular file or folder, whoever names it', () => {
  it('never reads a device or a FIFO (a read would hang or never end)', async () => {
    const fifo = temp.file('pipe2');
    spawnSync('mkfifo', [fifo]);
    const session = host.current;
    for (const special of ['/dev/zero', fifo]) {
      await expect(session.import([special])).rejects.toThrow(/not a regular file or folder/);
    }
  });
});
