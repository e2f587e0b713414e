import { basename } from 'node:path';
import type { StoredEvent } from '../../../shared/contract.ts';
import type { EventMarks } from '../../../shared/domain/annotations.ts';
import { formatTimeUtc } from '../../../shared/lib/format-time.ts';
import { markdown } from '../../../shared/lib/markdown.ts';
import { html, trusted, type Html } from './html-text.ts';
import { timelineSvg } from './report-chart.ts';
import type { ReportData } from './report-data.ts';

/**
 * No script, no outside request: a report opened in a browser (or printed to PDF) runs nothing
 * and fetches nothing, whatever the log text inside it says.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
  :root { color-scheme: light; }
  body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430; margin: 32px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #d5dae1; padding-bottom: 4px; break-after: avoid; }
  .sub { color: #5b6573; margin: 0 0 18px; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
  th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #e3e7ec; }
  th { background: #f3f5f8; font-weight: 600; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
  .facts dt { color: #5b6573; }
  .facts dd { margin: 0; }
  .failure { color: #b3261e; font-weight: 600; }
  .ok { color: #1a7f4b; font-weight: 600; }
  .tag { display: inline-block; border-radius: 8px; padding: 0 6px; margin: 0 3px 2px 0; font-size: 11px; color: #fff; }
  .note { background: #f7f4e8; border-left: 3px solid #c9b458; padding: 4px 10px; margin: 4px 0; }
  .note p { margin: 4px 0; }
  .chart svg { max-width: 100%; height: auto; }
  .muted { color: #5b6573; }
  .nowrap { white-space: nowrap; }
  @page { size: A4; margin: 14mm 12mm; }
  @media print { body { margin: 0; } }
`;

const time = (micros: number | null | undefined): string =>
  micros === null || micros === undefined ? '—' : formatTimeUtc(micros);
/** To the minute, for summary tables (event rows keep the full precision). */
const minute = (micros: number): string => formatTimeUtc(micros).slice(0, 16).replace('T', ' ');
const count = (n: number): string => n.toLocaleString('en-US');
const actorOf = (e: StoredEvent): string => e.actor.name ?? e.actor.email ?? e.actor.id ?? '';
const targetOf = (e: StoredEvent): string => e.target.name ?? e.target.id ?? e.target.type ?? '';

/** A note's Markdown as HTML: raw HTML in it stays text, links keep only http(s)/mailto. */
function noteHtml(text: string): Html {
  return trusted(markdown.render(text));
}

function outcome(value: string): Html {
  return html`<span class="${value === 'failure' ? 'failure' : value === 'success' ? 'ok' : 'muted'}"
    >${value}</span
  >`;
}

/** A change's value as the source wrote it (JSON for anything but text). */
function changeValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function changesCell(event: StoredEvent): Html {
  if (event.changes.length === 0) return html`<span class="muted">—</span>`;
  return html`${event.changes
    .slice(0, 20)
    .map(
      (c) => html`<div class="mono">${c.field}: ${changeValue(c.before)} → ${changeValue(c.after)}</div>`,
    )}${event.changes.length > 20 ? html`<div class="muted">… ${event.changes.length - 20} more</div>` : ''}`;
}

function marksCell(marks: EventMarks | undefined): Html {
  if (!marks) return html``;
  return html`${marks.starred ? '★ ' : ''}${marks.tags.map(
    (t) =>
      html`<span class="tag" style="background:${/^#[0-9a-f]{6}$/i.test(t.color) ? t.color : '#777'}"
        >${t.name}</span
      >`,
  )}`;
}

function eventsSection(data: ReportData): Html {
  const isCase = data.template.id === 'case';
  const withChanges = data.template.id === 'data-changes';
  const heading = isCase ? 'Marked events' : 'Events';
  if (data.events.length === 0)
    return html`<h2>${heading}</h2>
      <p class="muted">
        ${isCase ? 'No event in scope is starred, tagged or noted.' : 'No event matches.'}
      </p>`;
  const shown =
    data.eventsTotal > data.events.length
      ? html`<p class="muted">
          The first ${count(data.events.length)} of ${count(data.eventsTotal)} in time order; export the
          search as CSV for all of them.
        </p>`
      : html`<p class="muted">${count(data.eventsTotal)} in time order.</p>`;
  return html`<h2>${heading}</h2>
    ${shown}
    <table>
      <thead>
        <tr>
          <th>Time (UTC)</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Target</th>
          <th>Outcome</th>
          <th>IP</th>
          ${isCase ? html`<th>Marks</th>` : withChanges ? html`<th>Before → after</th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${data.events.map(
          ({ event, marks }) =>
            html`<tr>
                <td class="mono">${time(event.time)}</td>
                <td>${actorOf(event)}</td>
                <td class="mono">${event.action}</td>
                <td>${targetOf(event)}</td>
                <td>${outcome(event.outcome)}</td>
                <td class="mono">${event.ip ?? ''}</td>
                ${isCase ? html`<td>${marksCell(marks)}</td>` : withChanges ? html`<td>${changesCell(event)}</td>` : ''}
              </tr>
              ${
                marks?.note
                  ? html`<tr>
                      <td></td>
                      <td colspan="6"><div class="note">${noteHtml(marks.note)}</div></td>
                    </tr>`
                  : ''
              }`,
        )}
      </tbody>
    </table>`;
}

function actorsSection(data: ReportData): Html {
  if (data.actors.length === 0) return html``;
  return html`<h2>Actors</h2>
    <p class="muted">
      The ${count(data.actors.length)} most active in scope. Kinds of activity are read from each action's
      verb.
    </p>
    <table>
      <thead>
        <tr>
          <th>Actor</th>
          <th class="num">Events</th>
          <th class="num">Failures</th>
          <th class="num">Sign-ins</th>
          <th class="num">Failed sign-ins</th>
          <th class="num">Viewed</th>
          <th class="num">Created</th>
          <th class="num">Modified</th>
          <th class="num">Deleted</th>
          <th class="num">Exports</th>
          <th class="num">IPs</th>
          <th>First seen (UTC)</th>
          <th>Last seen (UTC)</th>
        </tr>
      </thead>
      <tbody>
        ${data.actors.map(
          (a) =>
            html`<tr>
              <td>${a.value}</td>
              <td class="num">${count(a.events)}</td>
              <td class="num">${count(a.failures)}</td>
              <td class="num">${count(a.kinds.login)}</td>
              <td class="num">${count(a.kinds['login-failed'])}</td>
              <td class="num">${count(a.kinds.view)}</td>
              <td class="num">${count(a.kinds.create)}</td>
              <td class="num">${count(a.kinds.modify)}</td>
              <td class="num">${count(a.kinds.delete)}</td>
              <td class="num">${count(a.kinds.export)}</td>
              <td class="num">${count(a.ips)}</td>
              <td class="mono nowrap">${minute(a.first)}</td>
              <td class="mono nowrap">${minute(a.last)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function notesSection(data: ReportData): Html {
  if (data.notes.length === 0) return html``;
  return html`<h2>Case notes</h2>
    ${data.notes.map(
      (n) =>
        html`<div class="note">
          ${n.time === null ? '' : html`<div class="mono muted">${time(n.time)}</div>`}${noteHtml(n.body)}
        </div>`,
    )}`;
}

function custodySection(data: ReportData): Html {
  const { journal, inputs } = data.custody;
  const byImport = new Map(inputs.map((i) => [i.importId, i.state]));
  return html`<h2>Chain of custody</h2>
    <dl class="facts">
      <dt>Case file</dt>
      <dd class="mono">${data.casePath}</dd>
      <dt>Journal</dt>
      <dd>
        ${count(journal.entries)} entries,
        ${
          journal.broken === null
            ? html`<span class="ok">hash chain intact</span>`
            : html`<span class="failure"
                >broken at entry ${journal.broken.seq}: ${journal.broken.reason}</span
              >`
        }
      </dd>
      <dt>Journal head</dt>
      <dd class="mono">${journal.head ?? '—'}</dd>
      <dt>Verified</dt>
      <dd>${formatTimeUtc(data.generatedAt * 1000)}, when this report was made</dd>
    </dl>
    <h3>Input files</h3>
    <table>
      <thead>
        <tr>
          <th>#</th>
          <th>File</th>
          <th>SHA-256</th>
          <th class="num">Bytes</th>
          <th>Format</th>
          <th class="num">Events</th>
          <th>Now</th>
        </tr>
      </thead>
      <tbody>
        ${data.imports.map((i) => {
          const state = byImport.get(i.id) ?? 'unhashed';
          return html`<tr>
            <td class="num">${i.id}</td>
            <td class="mono">${i.path}</td>
            <td class="mono">${i.sha256 ?? '—'}</td>
            <td class="num">${i.size === null ? '—' : count(i.size)}</td>
            <td>${i.format ?? ''}</td>
            <td class="num">${count(i.accepted)}</td>
            <td class="${state === 'changed' ? 'failure' : state === 'match' ? 'ok' : 'muted'}">
              ${state === 'match' ? 'unchanged' : state}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
    <p class="muted">
      The journal head pins every entry before it: keep it apart from the case (in a ticket, a signed mail)
      and <code>auditscope verify</code> later shows whether the case's history still leads to it. The chain
      detects edits to recorded history; it cannot prove that a case was not rebuilt from scratch, nor that
      the input files themselves were genuine when imported. This report is recorded in the journal with its
      own SHA-256 after it is written.
    </p>`;
}

/** The whole report as one self-contained HTML document (no script, no external resource). */
export function renderReportHtml(data: ReportData): string {
  const { stats, scope } = data;
  const failures = data.histogram.buckets.reduce((sum, b) => sum + (b.counts.failure ?? 0), 0);
  const doc = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}" />
        <meta name="generator" content="Auditscope ${data.version}" />
        <title>${data.title} — ${basename(data.casePath)}</title>
        <style>
          ${trusted(STYLE)}
        </style>
      </head>
      <body>
        <h1>${data.title}</h1>
        <p class="sub">
          ${basename(data.casePath)} · made ${formatTimeUtc(data.generatedAt * 1000)} by Auditscope
          ${data.version}
        </p>
        <h2>Summary</h2>
        <dl class="facts">
          <dt>Events in scope</dt>
          <dd>
            ${count(scope.matched)}${failures > 0 ? html`, <span class="failure">${count(failures)} failed</span>` : ''}
          </dd>
          <dt>Events in the case</dt>
          <dd>
            ${count(stats.events)} from ${count(stats.imports)}
            imports${stats.rejects > 0 ? `, ${count(stats.rejects)} records rejected` : ''}
          </dd>
          <dt>Case spans</dt>
          <dd class="mono">${time(stats.first)} — ${time(stats.last)}</dd>
          <dt>Sources</dt>
          <dd>${stats.bySource.map((s) => `${s.value} (${count(s.count)})`).join(', ') || '—'}</dd>
        </dl>
        <h2>Scope</h2>
        <dl class="facts">
          <dt>Report</dt>
          <dd>${data.template.title}: ${data.template.description}</dd>
          <dt>Search</dt>
          <dd class="mono">
            ${scope.search === '' && scope.selected === undefined ? 'all events' : scope.search}
            ${scope.selected === undefined ? '' : html`(the ${count(scope.selected)} events picked one by one)`}
          </dd>
          <dt>From</dt>
          <dd class="mono">${scope.from === undefined ? 'the first event' : time(scope.from)}</dd>
          <dt>To</dt>
          <dd class="mono">${scope.to === undefined ? 'the last event' : time(scope.to)}</dd>
        </dl>
        <h2>Timeline</h2>
        <div class="chart">
          ${scope.matched === 0 ? html`<p class="muted">No events in scope.</p>` : trusted(timelineSvg(data.histogram))}
        </div>
        ${notesSection(data)} ${eventsSection(data)} ${actorsSection(data)} ${custodySection(data)}
      </body>
    </html> `;
  return doc.text;
}
