import path from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file.ts';

const MAX_RECENT = 12;

/**
 * The case files opened lately, newest first, kept in a small JSON file in the user's data folder
 * (or only in memory when no file is given, as in tests). A damaged file is an empty list, not an
 * error: it is a convenience, never evidence.
 */
export class RecentCases {
  private readonly file: string | undefined;
  private paths: string[];

  constructor(file?: string) {
    this.file = file;
    this.paths = file === undefined ? [] : load(file);
  }

  list(): string[] {
    return [...this.paths];
  }

  remember(casePath: string): void {
    this.paths = [casePath, ...this.paths.filter((p) => p !== casePath)].slice(0, MAX_RECENT);
    this.save();
  }

  forget(casePath: string): void {
    this.paths = this.paths.filter((p) => p !== casePath);
    this.save();
  }

  private save(): void {
    if (this.file !== undefined) writeJsonFile(this.file, this.paths);
  }
}

function load(file: string): string[] {
  const parsed = readJsonFile(file);
  return Array.isArray(parsed)
    ? parsed.filter((p): p is string => typeof p === 'string' && path.isAbsolute(p)).slice(0, MAX_RECENT)
    : [];
}
