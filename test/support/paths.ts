import path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** Real audit logs from public sources, kept beside the repository (see PROVENANCE.md there). */
export const DATASETS = path.resolve(REPO_ROOT, '../shared/datasets');

/** Sigma rules copied from SigmaHQ, beside the repository. */
export const SIGMA_RULES = path.resolve(REPO_ROOT, '../shared/sigma/rules');

export function dataset(...segments: string[]): string {
  return path.join(DATASETS, ...segments);
}
