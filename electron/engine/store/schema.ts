/**
 * Versioned migrations of a case file. Each entry moves the schema from version i to i+1 and runs
 * in one transaction; `PRAGMA user_version` records where a file stands. Never edit a released
 * migration: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: events, imports, rejects, counts, free-text index, metadata */ `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER,
    sha256 TEXT,
    format TEXT,
    container TEXT,
    accepted INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'cancelled', 'interrupted')),
    error TEXT
  ) STRICT;

  -- rowid order is insertion order; queries order by (time, rowid), which the time index covers.
  CREATE TABLE events (
    rowid INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    time INTEGER NOT NULL,
    time_original TEXT NOT NULL,
    source TEXT NOT NULL,
    action TEXT NOT NULL,
    category TEXT NOT NULL,
    outcome TEXT NOT NULL,
    actor_id TEXT, actor_name TEXT, actor_email TEXT, actor_type TEXT,
    target_type TEXT, target_id TEXT, target_name TEXT,
    ip TEXT, user_agent TEXT, session_id TEXT, request_id TEXT, severity TEXT, message TEXT,
    changes TEXT,
    raw TEXT NOT NULL,
    document TEXT,
    -- The exact input bytes, kept only when they were not valid UTF-8 (raw is then a lossy decoding).
    raw_bytes BLOB,
    encoding_error INTEGER NOT NULL DEFAULT 0,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    byte_offset INTEGER NOT NULL,
    line INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX events_event_id ON events(event_id);
  CREATE INDEX events_time ON events(time);

  CREATE TABLE rejects (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    byte_offset INTEGER NOT NULL,
    line INTEGER NOT NULL,
    length INTEGER NOT NULL,
    reason TEXT NOT NULL,
    head BLOB NOT NULL
  ) STRICT;
  CREATE INDEX rejects_import ON rejects(import_id, byte_offset);

  -- Pre-aggregated counts per minute, kept in step with events by the writer, so the
  -- unfiltered histogram never scans events.
  CREATE TABLE minute_counts (
    minute INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    category TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (minute, outcome, category)
  ) STRICT, WITHOUT ROWID;
  -- The same per hour: a month of history is ~700 hours, so long spans read a few thousand rows.
  CREATE TABLE hour_counts (
    hour INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    category TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (hour, outcome, category)
  ) STRICT, WITHOUT ROWID;

  -- Values-only free-text index, filled in the background after an import (see fts-indexer.ts).
  CREATE VIRTUAL TABLE events_fts USING fts5(body, content='', contentless_delete=1);

  -- Indexes for the filters and facets analysts use most, each keyed on time for ordered pages.
  -- NOCASE because field equality in the search syntax is case-insensitive.
  CREATE INDEX events_action_time ON events(action COLLATE NOCASE, time);
  CREATE INDEX events_actor_time ON events(actor_name COLLATE NOCASE, time);
  CREATE INDEX events_ip_time ON events(ip COLLATE NOCASE, time);
  CREATE INDEX events_outcome_time ON events(outcome COLLATE NOCASE, time);
  `,
  /* 2: the other actor columns indexed. "actor:x" searches actor_id, actor_name and actor_email;
   * with one of the three unindexed every actor filter scanned the whole table (~0.4 s per
   * million events), and the actor is the pivot analysts use most. */ `
  CREATE INDEX events_actor_id_time ON events(actor_id COLLATE NOCASE, time);
  CREATE INDEX events_actor_email_time ON events(actor_email COLLATE NOCASE, time);
  `,
  /* 3: the case journal. Every change to the case (imports, pulls, exports…) is an entry chained
   * to the one before by SHA-256 (see journal.ts); entries are only ever appended. */ `
  CREATE TABLE journal (
    seq INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  ) STRICT;
  `,
  /* 4: the analyst's marks on events: stars, notes, tags (see annotations.ts). */ `
  CREATE TABLE marks (
    event_rowid INTEGER PRIMARY KEY,
    starred INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    color TEXT NOT NULL
  ) STRICT;
  CREATE TABLE event_tags (
    event_rowid INTEGER NOT NULL,
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (event_rowid, tag_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX event_tags_tag ON event_tags(tag_id, event_rowid);
  `,
  /* 5: saved searches: a name, the search text, the time range (JSON), kept with the case. */ `
  CREATE TABLE saved_searches (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    search TEXT NOT NULL,
    range TEXT NOT NULL,
    saved_at INTEGER NOT NULL
  ) STRICT;
  `,
  /* 6: the case's own notes (Markdown, optionally pinned to an instant of the investigation
   * timeline), the columns a saved search shows, the searches run (a history to go back to). */ `
  CREATE TABLE case_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, -- a note's id is never reused: the journal names notes by it
    time INTEGER,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  ALTER TABLE saved_searches ADD COLUMN columns TEXT;
  CREATE TABLE search_history (
    search TEXT NOT NULL,
    range TEXT NOT NULL,
    used_at INTEGER NOT NULL,
    PRIMARY KEY (search, range)
  ) STRICT;
  CREATE INDEX search_history_used ON search_history(used_at);
  `,
  /* 7: what analysts decided about alerts (by the alert's key: rule and entity hashed), the
   * suppressions of a rule for one entity, and the thresholds the built-in rules ran with. */ `
  CREATE TABLE alert_states (
    alert_key TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    analyst TEXT NOT NULL,
    at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE alert_suppressions (
    rule_id TEXT NOT NULL,
    entity TEXT NOT NULL, -- JSON {fields, values}, values lower-cased
    shown TEXT NOT NULL, -- the same as first written, for people
    note TEXT NOT NULL,
    analyst TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (rule_id, entity)
  ) STRICT;
  `,
  /* 8: duplicates found by (time, id) instead of id alone. An id is a hash (or a source's own id),
   * so new events went to random places of an index on it: every batch rewrote most of that index's
   * pages, and a live tail's inserts slowed in step with the case's size (76 µs/event at 900k
   * events, 3,000-event batches). Keyed on time first, a tail's and most imports' new keys land
   * together at the end. Duplicates are still found: an event's time comes from its record, so the
   * same record always has the same time. (The index never served "id:" searches: they compare
   * without case.) */ `
  DROP INDEX events_event_id;
  CREATE UNIQUE INDEX events_time_event_id ON events(time, event_id);
  `,
];

/** The `(column COLLATE NOCASE, time)` index of each indexed event column (migrations 1 and 2). */
export const COLUMN_INDEXES: Readonly<Record<string, string>> = {
  action: 'events_action_time',
  actor_name: 'events_actor_time',
  actor_id: 'events_actor_id_time',
  actor_email: 'events_actor_email_time',
  ip: 'events_ip_time',
  outcome: 'events_outcome_time',
};
