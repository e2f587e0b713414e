import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { CaseSession } from '../case-session.ts';
import type { CaseInfo, RecentCase } from '../../../shared/domain/case.ts';
import { RecentCases } from './recent-cases.ts';

export const CASE_EXTENSION = '.auditscope';

/**
 * The case the UI is working in, and the switch to another one. Every transport binds the
 * contract to the host rather than to one session, so "New case" and "Open case" swap the session
 * underneath without reconnecting; listeners hear of the switch and push it to the UI.
 */
export class CaseHost {
  private session: CaseSession;
  private switching: Promise<unknown> | undefined;
  private readonly recents: RecentCases;
  private readonly switchListeners = new Set<(info: CaseInfo) => void>();

  constructor(session: CaseSession, options: { recentFile?: string } = {}) {
    this.session = session;
    this.recents = new RecentCases(options.recentFile);
    this.recents.remember(path.resolve(session.path));
  }

  /** The open case. Calls that arrive during a switch wait for it (see `ready`). */
  get current(): CaseSession {
    return this.session;
  }

  /** Resolves when no switch is in progress, so a call never reaches a closing session. */
  async ready(): Promise<CaseSession> {
    while (this.switching) await this.switching.catch(() => undefined);
    return this.session;
  }

  /** The open case, by its absolute path (a case named on the command line may be relative). */
  info(): CaseInfo {
    return infoOf(path.resolve(this.session.path));
  }

  recent(): RecentCase[] {
    return this.recents.list().map((file) => ({ ...infoOf(file), exists: existsSync(file) }));
  }

  forget(file: string): void {
    this.recents.forget(path.resolve(file));
  }

  /** Opens an existing case file; a missing file is an error here, never silently created. */
  async open(file: string): Promise<CaseInfo> {
    return this.switchTo(existingCaseFile(file));
  }

  /** Creates a new, empty case file (adding the .auditscope extension) and opens it. */
  async create(file: string): Promise<CaseInfo> {
    let target = path.resolve(file);
    if (!target.endsWith(CASE_EXTENSION)) target += CASE_EXTENSION;
    if (existsSync(target)) throw new Error(`${target} already exists: open it instead`);
    if (!existsSync(path.dirname(target))) throw new Error(`no folder ${path.dirname(target)}`);
    return this.switchTo(target);
  }

  onSwitch(listener: (info: CaseInfo) => void): () => void {
    this.switchListeners.add(listener);
    return () => this.switchListeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.ready();
    await this.session.close();
  }

  /**
   * Switches are queued, and `switching` is set before this returns, so any call made after a
   * switch was asked for waits for it rather than reaching the case being closed.
   */
  private switchTo(target: string): Promise<CaseInfo> {
    const switching = (this.switching ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.replaceSession(target));
    this.switching = switching;
    void switching
      .finally(() => {
        if (this.switching === switching) this.switching = undefined;
      })
      .catch(() => undefined);
    return switching;
  }

  private async replaceSession(target: string): Promise<CaseInfo> {
    if (target === this.info().path) return this.info();
    // Files and tables followed into this case stop with it, once the new one has opened (what
    // they read is stored first: see CaseSession.close).
    const busy = this.session.busy;
    if (busy !== undefined) throw new Error(busy);
    // The new case opens before the old one closes: a file that is not a case leaves the
    // analyst where they were.
    const next = await CaseSession.open(target);
    const previous = this.session;
    this.session = next;
    await previous.close();
    this.recents.remember(target);
    const info = this.info();
    for (const listener of this.switchListeners) listener(info);
    return info;
  }
}

/**
 * The absolute path of a case file that is there to be opened, or an error saying why not. Opening
 * never creates: a mistyped or vanished path must not become a new, empty case.
 */
export function existingCaseFile(file: string): string {
  const target = path.resolve(file);
  if (!existsSync(target)) throw new Error(`no case file at ${target}`);
  const stat = statSync(target);
  if (!stat.isFile()) throw new Error(`${target} is not a file`);
  // SQLite takes an empty file for an empty database: opening it would make it a case.
  if (stat.size === 0) throw new Error(`${target} is empty, not an Auditscope case file`);
  return target;
}

function infoOf(file: string): CaseInfo {
  return { path: file, name: path.basename(file, CASE_EXTENSION) };
}
