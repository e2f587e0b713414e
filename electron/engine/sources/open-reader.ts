import { openMysqlReader } from './mysql-reader.ts';
import { openPostgresReader } from './postgres-reader.ts';
import type { ServerTarget, TableReader } from './table-reader.ts';

/** A read-only reader on a database server of either kind. */
export function openServerReader(source: {
  kind: 'postgres' | 'mysql';
  target: ServerTarget;
}): Promise<TableReader> {
  return source.kind === 'mysql' ? openMysqlReader(source.target) : openPostgresReader(source.target);
}
