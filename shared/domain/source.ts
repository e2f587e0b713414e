import { z } from 'zod';

/**
 * A database an application writes its audit trail to, read in place (never written): a
 * PostgreSQL, MySQL or MariaDB server, or an SQLite file. Passwords are never part of it: the desktop app keeps them
 * encrypted by the OS keystore in main, serve mode and the CLI take them from the environment.
 */
export const SourceKind = z.enum(['postgres', 'mysql', 'sqlite']);
export type SourceKind = z.infer<typeof SourceKind>;

/** Database servers (reached by host, port, database, user), as opposed to a file. */
export function isServerKind(kind: SourceKind): kind is 'postgres' | 'mysql' {
  return kind !== 'sqlite';
}

export const SOURCE_KIND_LABEL: Record<SourceKind, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL / MariaDB',
  sqlite: 'SQLite',
};

export const DEFAULT_PORT = { postgres: 5432, mysql: 3306 } as const;

/**
 * `verify`: TLS, the server's certificate checked against the system's CAs and its host name;
 * `pinned`: TLS, the certificate must be (or be signed by) the one in `certificate`, a PEM file
 * the analyst chose to trust for this server (a self-signed or private-CA server), host name not
 * checked; `disable`: no TLS (a local socket, a lab).
 */
export const TlsMode = z.enum(['verify', 'pinned', 'disable']);
export type TlsMode = z.infer<typeof TlsMode>;

/** Event field → the table column (or `column.path` into a JSON column) it is read from. */
export const SourceMapping = z
  .object({
    time: z.string().max(512),
    actor: z.string().max(512),
    action: z.string().max(512),
    target: z.string().max(512),
    outcome: z.string().max(512),
    ip: z.string().max(512),
    userAgent: z.string().max(512),
    sessionId: z.string().max(512),
    requestId: z.string().max(512),
    message: z.string().max(512),
  })
  .partial();
export type SourceMapping = z.infer<typeof SourceMapping>;

export const SourceConnection = z.object({
  id: z.string().regex(/^src-[0-9a-z]{4,32}$/),
  name: z.string().trim().min(1).max(120),
  kind: SourceKind,
  host: z.string().max(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  database: z.string().max(255).optional(),
  user: z.string().max(255).optional(),
  tls: TlsMode,
  /** With `tls: 'pinned'`: the PEM file of the certificate (or CA) trusted for this server. */
  certificate: z.string().max(4096).optional(),
  /** SQLite: the database file. */
  file: z.string().max(4096).optional(),
  /** The table or view last used, `schema.table` for PostgreSQL, and its saved mapping. */
  table: z.string().max(512).optional(),
  mapping: SourceMapping.optional(),
});
export type SourceConnection = z.infer<typeof SourceConnection>;

/**
 * A table read in place as the workspace's data: the source, the table, the mapping its rows
 * become events through. Given to the query calls, it sends them to the database server instead
 * of the case.
 */
export const RemoteScope = z.object({
  source: SourceConnection.shape.id,
  table: z.string().min(1).max(512),
  mapping: SourceMapping,
});
export type RemoteScope = z.infer<typeof RemoteScope>;

/** A saved source as the UI sees it: whether a password is kept, never the password. */
export const SourceInfo = SourceConnection.extend({ hasPassword: z.boolean() });
export type SourceInfo = z.infer<typeof SourceInfo>;

export const SourceColumn = z.object({ name: z.string(), type: z.string() });
export type SourceColumn = z.infer<typeof SourceColumn>;

export const SourceTableInfo = z.object({
  table: z.string(),
  columns: z.array(SourceColumn),
  /** The column rows are ordered by after time, so paging is stable (a key, or SQLite's rowid). */
  key: z.string().optional(),
  proposed: SourceMapping,
});
export type SourceTableInfo = z.infer<typeof SourceTableInfo>;
