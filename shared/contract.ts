import { z } from 'zod';
import { AuditEvent } from './domain/audit-event.ts';
import { EventQuery } from './domain/query.ts';
import { CaseCounts, CaseInfo, CaseStats, FieldValueCount, RecentCase } from './domain/case.ts';
import { ImportProgress, ImportRecord, ImportSummary, RejectRow } from './domain/import.ts';
import { ExportFormat, ExportProgress, ExportSummary } from './domain/export.ts';
import {
  RemoteScope,
  SourceConnection,
  SourceInfo,
  SourceMapping,
  SourceTableInfo,
} from './domain/source.ts';
import { JournalEntry, VerifyReport } from './domain/journal.ts';
import { AnnotationChange, EventMarks, Tag } from './domain/annotations.ts';
import { HistoryEntry, SavedSearch } from './domain/saved-search.ts';
import { CaseNote, CaseNoteDraft } from './domain/case-note.ts';
import { DeletionSummary, DeletionTarget } from './domain/deletion.ts';
import { ActivitySummary, JourneyField, JourneyLane } from './domain/activity.ts';
import { ReportTemplateId } from './domain/report.ts';
import {
  AlertNotice,
  AlertDecision,
  AlertEntity,
  AlertState,
  AlertSuppression,
  AlertsReport,
} from './domain/alert.ts';
import { DetectionSettings } from './domain/detection-settings.ts';
import { Dashboard, DashboardQuery } from './domain/dashboard.ts';
import { TailStatus } from './domain/tail.ts';

/**
 * The one contract between the UI and the engine: every call the renderer can make, with the
 * schema its arguments must pass at the engine side (the renderer is untrusted) and the shape of
 * its answer. Electron IPC and the serve-mode WebSocket are both generated from this table.
 */
/** `r…` over the case, `s…` over a table read in place. */
const Handle = z.string().regex(/^[rs]\d{1,12}$/);
/** The table read in place a query runs over; none (or null) for the case. */
const InScope = RemoteScope.nullish();
const Position = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const PageSize = z.number().int().min(1).max(5000);
const FieldName = z.string().min(1).max(512);
const Path = z.string().min(1).max(4096);

export const StoredEvent = AuditEvent.extend({ seq: z.number().int() });
export type StoredEvent = z.infer<typeof StoredEvent>;

export const HistogramBucket = z.object({
  start: z.number(),
  counts: z.record(z.string(), z.number()),
  total: z.number(),
});
export const Histogram = z.object({
  interval: z.number(),
  from: z.number(),
  to: z.number(),
  buckets: z.array(HistogramBucket),
});
export type Histogram = z.infer<typeof Histogram>;

const TimelineCell = z.tuple([z.number().int(), z.number().int(), z.number().int()]);
export const Lanes = z.object({
  interval: z.number(),
  from: z.number(),
  buckets: z.number().int(),
  total: z.number().int(),
  lanes: z.array(z.object({ value: z.string(), total: z.number().int(), cells: z.array(TimelineCell) })),
});
export type Lanes = z.infer<typeof Lanes>;

export const HistogramOptions = z.object({
  stackBy: z.enum(['outcome', 'category', 'activity']).optional(),
  interval: z.number().int().positive().optional(),
  maxBuckets: z.number().int().min(1).max(2000).optional(),
});

const SourceId = SourceConnection.shape.id;
const TableName = z.string().min(1).max(512);
const SourceDraft = SourceConnection.omit({ id: true }).extend({ id: SourceId.optional() });
/** What becomes of a source's kept password when it is saved. */
const PasswordChange = z.discriminatedUnion('action', [
  z.object({ action: z.literal('keep') }),
  z.object({ action: z.literal('set'), password: z.string().max(1024) }),
  z.object({ action: z.literal('forget') }),
]);
export type PasswordChange = z.infer<typeof PasswordChange>;
export const SourcePreviewRow = z.object({
  row: z.record(z.string(), z.unknown()),
  event: z
    .object({
      time: z.string(),
      actor: z.string().optional(),
      action: z.string(),
      target: z.string().optional(),
      outcome: z.string(),
      ip: z.string().optional(),
    })
    .optional(),
  error: z.string().optional(),
});
export type SourcePreviewRow = z.infer<typeof SourcePreviewRow>;
/** Where the next page of a table browsed in place starts (the last row's time and key). */
const BrowseCursor = z.object({
  time: z.union([z.string().max(256), z.number()]),
  key: z.union([z.string().max(1024), z.number()]),
});
export type BrowseCursor = z.infer<typeof BrowseCursor>;
/** A search over a table read in place: the search box's text and a time window (epoch µs). */
const RemoteSearch = z.object({
  search: z.string().max(10_000),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
});
export type RemoteSearch = z.infer<typeof RemoteSearch>;

export const contract = {
  'case.current': { input: z.tuple([]), output: CaseInfo },
  'case.recent': { input: z.tuple([]), output: z.array(RecentCase) },
  /** Opens an existing case file in place of the current one. */
  'case.open': { input: z.tuple([Path]), output: CaseInfo },
  /** Creates a new, empty case file (never over an existing file) and opens it. */
  'case.create': { input: z.tuple([Path]), output: CaseInfo },
  'case.forget': { input: z.tuple([Path]), output: z.void() },
  /** Re-checks the journal's hash chain and the recorded SHA-256 of input files still present. */
  'case.verify': { input: z.tuple([]), output: VerifyReport },
  /** Journal entries in order, a window of them (the newest last). */
  'case.journal': {
    input: z.tuple([Position, z.number().int().min(1).max(1000)]),
    output: z.array(JournalEntry),
  },
  'case.stats': { input: z.tuple([]), output: CaseStats },
  /** The counts alone (no breakdowns over every event): the header asks while a tail stores. */
  'case.counts': { input: z.tuple([]), output: CaseCounts },
  'case.imports': { input: z.tuple([]), output: z.array(ImportRecord) },
  'case.rejects': {
    input: z.tuple([z.number().int().optional(), Position, PageSize]),
    output: z.array(RejectRow),
  },
  'import.files': {
    input: z.tuple([
      z.array(Path).min(1).max(10_000),
      z.object({
        jobId: z.string().max(64).optional(),
        /** The case the import was started in: refused if another case has been opened since. */
        casePath: Path.optional(),
      }),
    ]),
    output: ImportSummary,
  },
  'import.cancel': { input: z.tuple([z.string().max(64)]), output: z.void() },
  /**
   * A result to page through: over the case, or over a table read in place when a scope is
   * given (the database server answers; its rows get negative seqs).
   */
  'query.open': { input: z.tuple([EventQuery, InScope]), output: Handle },
  'query.count': { input: z.tuple([Handle]), output: z.number().int() },
  /** True when the result's count is a database server's estimate (counting took too long). */
  'query.estimated': { input: z.tuple([Handle]), output: z.boolean() },
  'query.rows': { input: z.tuple([Handle, Position, PageSize]), output: z.array(StoredEvent) },
  'query.close': { input: z.tuple([Handle]), output: z.void() },
  /** Where a jump to a time lands: the position of the first row at or past it in the result's order. */
  'query.positionOf': { input: z.tuple([Handle, z.number().int()]), output: z.number().int() },
  /** How many events a query matches, counted beside the table (for side panels), not through a handle. */
  'query.total': { input: z.tuple([EventQuery]), output: z.number().int() },
  /** Over a table read in place (a scope given): one series, `total`; `stackBy` is not applied. */
  'query.histogram': { input: z.tuple([EventQuery, HistogramOptions, InScope]), output: Histogram },
  'query.topValues': {
    input: z.tuple([EventQuery, FieldName, z.number().int().min(1).max(1000), InScope]),
    output: z.object({ total: z.number().int(), values: z.array(FieldValueCount) }),
  },
  /** The Timeline's swimlanes: activity over time of the top values of a field. */
  'query.lanes': {
    input: z.tuple([
      EventQuery,
      FieldName,
      z.object({
        lanes: z.number().int().min(1).max(50).optional(),
        maxBuckets: z.number().int().min(1).max(500).optional(),
      }),
    ]),
    output: Lanes,
  },
  /** Per-user activity: summaries of the busiest actors, IPs or sessions (or of the values named). */
  'query.activity': {
    input: z.tuple([
      EventQuery,
      JourneyField,
      z.object({
        limit: z.number().int().min(1).max(200),
        values: z.array(z.string().max(1024)).max(200).optional(),
      }),
    ]),
    output: z.array(ActivitySummary),
  },
  /** The actor journey: sessions, failures and sensitive actions of up to 20 entities over time. */
  'query.journey': {
    input: z.tuple([
      EventQuery,
      JourneyField,
      z.array(z.string().max(1024)).min(1).max(20),
      z.object({
        gapMinutes: z.number().int().min(1).max(1440).optional(),
        maxItems: z.number().int().min(1).max(5000).optional(),
      }),
    ]),
    output: z.array(JourneyLane),
  },
  /** An event of the case (positive seq), or one read in place not long ago (negative). */
  'event.get': {
    input: z.tuple([
      z
        .number()
        .int()
        .refine((seq) => seq !== 0),
    ]),
    output: StoredEvent.optional(),
  },
  /** Stars, tags or notes events: one change to up to 100,000 events, journaled. */
  'event.annotate': {
    input: z.tuple([z.array(z.number().int().positive()).min(1).max(100_000), AnnotationChange]),
    output: z.object({ events: z.number().int() }),
  },
  /** The marks of these events (the table's visible rows, a detail panel). */
  'event.marks': {
    input: z.tuple([z.array(z.number().int().positive()).max(5000)]),
    output: z.array(EventMarks),
  },
  'tag.list': { input: z.tuple([]), output: z.array(Tag) },
  /**
   * Runs every detection rule over the case (the built-in rules at the case's thresholds, the
   * bundled Sigma rules, the user's rules folder): the alerts with the analysts' decisions.
   */
  'alerts.list': { input: z.tuple([]), output: AlertsReport },
  /** Acknowledges, resolves or reopens an alert with a note (journaled with the analyst). */
  'alerts.decide': { input: z.tuple([AlertDecision]), output: AlertState },
  /** Stops (or resumes) alerting on a rule for one entity, with why; journaled. */
  'alerts.suppress': {
    input: z.tuple([
      z.object({ ruleId: z.string().max(1000), entity: AlertEntity, note: z.string().max(100_000) }),
    ]),
    output: AlertSuppression,
  },
  'alerts.unsuppress': {
    input: z.tuple([z.object({ ruleId: z.string().max(1000), entity: AlertEntity })]),
    output: z.void(),
  },
  /**
   * Follows a log file on this machine into the case (tail -F: appends, rotation, truncation),
   * from its current end unless `fromStart`; its events are stored as they arrive and checked
   * against the rules. Status changes are pushed as `tail.status`.
   */
  'tail.follow': {
    input: z.tuple([z.object({ path: Path, fromStart: z.boolean() })]),
    output: TailStatus,
  },
  /**
   * Follows a table of a saved source into the case: rows as events as they are committed (a
   * time cursor with an overlap for out-of-order commits, reconnecting with backoff).
   */
  'tail.followTable': {
    input: z.tuple([
      SourceId,
      TableName,
      SourceMapping,
      z.object({
        fromStart: z.boolean(),
        /** PostgreSQL: a channel the application NOTIFYs on writes; a hint to poll at once. */
        wakeChannel: z.string().min(1).max(63).optional(),
      }),
    ]),
    output: TailStatus,
  },
  /** Stops following a file (its path) or a table (`<source> · <table>`). */
  'tail.stop': { input: z.tuple([Path]), output: TailStatus },
  'tail.list': { input: z.tuple([]), output: z.array(TailStatus) },
  /** The security dashboard of a period (on the aggregate thread). */
  'dashboard.summary': { input: z.tuple([DashboardQuery]), output: Dashboard },
  /** The built-in rules' and the dashboard's thresholds for this case, and changing them (journaled). */
  'detection.settings': { input: z.tuple([]), output: DetectionSettings },
  'detection.setSettings': { input: z.tuple([DetectionSettings]), output: DetectionSettings },
  /** Searches saved with the case (name, search text, time range). */
  'search.list': { input: z.tuple([]), output: z.array(SavedSearch) },
  'search.save': { input: z.tuple([SavedSearch.omit({ savedAt: true })]), output: SavedSearch },
  'search.delete': { input: z.tuple([SavedSearch.shape.name]), output: z.void() },
  /** The searches run in this case, the newest first (the history), and recording one. */
  'search.history': { input: z.tuple([]), output: z.array(HistoryEntry) },
  'search.record': { input: z.tuple([HistoryEntry.omit({ usedAt: true })]), output: z.void() },
  /** The case's own notes (Markdown), and adding, editing, removing one: journaled. */
  'note.list': { input: z.tuple([]), output: z.array(CaseNote) },
  'note.save': { input: z.tuple([CaseNoteDraft]), output: CaseNote },
  'note.delete': { input: z.tuple([z.number().int().positive()]), output: z.void() },
  /**
   * Removes events from the case (picked rows, a search's matches, or a retention rule), with
   * their marks; journaled with the deleted ids' hash. The input files are never touched.
   */
  'events.delete': { input: z.tuple([DeletionTarget]), output: DeletionSummary },
  /**
   * Writes every event of the query to a file, streamed (progress as `export.progress`). In the
   * desktop app the file must have been chosen in its save dialog (shell.chooseExportFile);
   * serve mode downloads through GET /export instead and refuses this call.
   */
  'export.start': {
    input: z.tuple([
      EventQuery,
      z.object({
        format: ExportFormat,
        path: Path,
        jobId: z.string().max(64),
        bom: z.boolean().optional(),
        /** For html and pdf: which report (the case report when absent). */
        template: ReportTemplateId.optional(),
      }),
    ]),
    output: ExportSummary,
  },
  'export.cancel': { input: z.tuple([z.string().max(64)]), output: z.void() },
  /** Desktop only: the native save dialog for an export; the chosen path, or null when cancelled. */
  'shell.chooseExportFile': { input: z.tuple([ExportFormat, z.string().max(200)]), output: Path.nullable() },
  /** Saved database sources (never their passwords: `hasPassword` says whether one is kept). */
  'source.list': { input: z.tuple([]), output: z.array(SourceInfo) },
  'source.save': { input: z.tuple([SourceDraft, PasswordChange]), output: SourceInfo },
  'source.remove': { input: z.tuple([SourceId]), output: z.void() },
  /** Connects (the test), lists tables and, given one, its columns, key and a proposed mapping. */
  'source.inspect': {
    input: z.tuple([SourceId, TableName.nullable()]),
    output: z.object({
      location: z.string(),
      tables: z.array(z.string()),
      table: SourceTableInfo.optional(),
    }),
  },
  'source.preview': {
    input: z.tuple([SourceId, TableName, SourceMapping]),
    output: z.array(SourcePreviewRow),
  },
  /**
   * A page of a table read in place, newest first: the search runs on the server and only the
   * matching rows travel; `next` continues after the page (null: the last page).
   */
  'source.browse': {
    input: z.tuple([
      SourceId,
      TableName,
      SourceMapping,
      RemoteSearch.extend({ after: BrowseCursor.nullable(), limit: z.number().int().min(1).max(1000) }),
    ]),
    output: z.object({ rows: z.array(SourcePreviewRow), next: BrowseCursor.nullable() }),
  },
  /** The matching rows of a table per time bucket (`interval` seconds; `start` epoch ms), by the server. */
  'source.histogram': {
    input: z.tuple([SourceId, TableName, SourceMapping, RemoteSearch]),
    output: z.object({
      interval: z.number().int(),
      buckets: z.array(z.object({ start: z.number(), count: z.number().int() })),
    }),
  },
  /** A field's most frequent values among a table's matching rows, counted by the server. */
  'source.topValues': {
    input: z.tuple([
      SourceId,
      TableName,
      SourceMapping,
      RemoteSearch,
      z.string().min(1).max(512),
      z.number().int().min(1).max(100),
    ]),
    output: z.array(z.object({ value: z.string().nullable(), count: z.number().int() })),
  },
  /** Stops the statements browsing a source is running (the calls waiting on them fail as cancelled). */
  'source.cancel': { input: z.tuple([SourceId]), output: z.void() },
  /**
   * How many rows of a table match a search, counted by the server; when counting takes more
   * than a few seconds, the server's estimate instead (`exact: false`).
   */
  'source.count': {
    input: z.tuple([SourceId, TableName, SourceMapping, RemoteSearch]),
    output: z.object({ count: z.number().int(), exact: z.boolean() }),
  },
  /** Copies rows of a table (a time slice, a limit) into the open case (progress as `import.progress`). */
  'source.pull': {
    input: z.tuple([
      SourceId,
      TableName,
      SourceMapping,
      z.object({
        from: z.string().max(64).optional(),
        to: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(100_000_000),
        jobId: z.string().max(64),
        /** Only the rows this search selects (the workspace's filter and window), run on the server. */
        query: EventQuery.pick({ filter: true, from: true, to: true }).optional(),
      }),
    ]),
    output: z.object({ file: z.string(), rows: z.number().int(), summary: ImportSummary }),
  },
  /**
   * Desktop only: the native dialog to pick an SQLite database file to read as a source, or the
   * PEM certificate a server's TLS is pinned to.
   */
  'shell.chooseSourceFile': {
    input: z.tuple([z.enum(['database', 'certificate'])]),
    output: Path.nullable(),
  },
  /**
   * Desktop only (see SHELL_CALLS): the native dialog to pick a case file to open, or where to
   * create one; the chosen case is opened by the engine there and then. Null when cancelled.
   */
  'shell.chooseCase': { input: z.tuple([z.enum(['open', 'create'])]), output: CaseInfo.nullable() },
  /** Desktop only: the native dialog to pick files or folders to import; empty when cancelled. */
  'shell.chooseImport': { input: z.tuple([z.enum(['files', 'folder'])]), output: z.array(Path) },
} as const satisfies Record<string, { input: z.ZodTuple; output: z.ZodType }>;

export type Contract = typeof contract;
export type CallName = keyof Contract;

/**
 * Calls only the desktop app answers: they need the operating system's own dialogs. Serve mode
 * answers them `unsupported`, and the UI offers its typed-path and upload forms there instead.
 */
export const SHELL_CALLS = [
  'shell.chooseCase',
  'shell.chooseImport',
  'shell.chooseExportFile',
  'shell.chooseSourceFile',
] as const satisfies readonly CallName[];
export type ShellCallName = (typeof SHELL_CALLS)[number];
export type EngineCallName = Exclude<CallName, ShellCallName>;

/** What the desktop app's menu asks the page to do (the page runs it as if its own control was used). */
export const MenuCommand = z.discriminatedUnion('command', [
  z.object({
    command: z.enum([
      'case.new',
      'case.open',
      'case.verify',
      'import.files',
      'import.folder',
      'export.open',
      'sources.open',
      'search.focus',
      'view.logs',
      'view.timeline',
      'view.investigation',
      'view.actors',
      'view.detections',
      'view.dashboard',
      'theme.toggle',
      'help.shortcuts',
    ]),
  }),
  /** Open this case file: from the recent list, a second launch or the OS opening a case file. */
  z.object({ command: z.literal('case.openPath'), path: Path }),
]);
export type MenuCommand = z.infer<typeof MenuCommand>;
export type CallArgs<C extends CallName> = z.infer<Contract[C]['input']>;
export type CallResult<C extends CallName> = z.infer<Contract[C]['output']>;

/** Events the engine pushes to the UI. */
export const pushes = {
  'import.progress': ImportProgress,
  /** Another case was opened: every result handle of the previous one is gone. */
  'case.switched': CaseInfo,
  'fts.progress': z.object({ indexedThrough: z.number(), lastRowid: z.number(), ready: z.boolean() }),
  'export.progress': ExportProgress,
  /** A followed file's state and counts: at most a few times a second. */
  'tail.status': TailStatus,
  /** Alerts that events just added raised or grew (for notifications of high-severity ones). */
  'alerts.raised': z.array(AlertNotice),
  /** Desktop only: a menu item, shortcut or file opened from outside the window. */
  'menu.command': MenuCommand,
} as const;
export type PushName = keyof typeof pushes;
export type PushPayload<P extends PushName> = z.infer<(typeof pushes)[P]>;

/** What every transport returns: Electron IPC cannot carry error classes, so errors are data. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
