import type { EventQuery } from '../../../../shared/domain/query.ts';
import { cellText, formatCount, zoneLabel } from '../../lib/format.ts';
import { SearchBox } from './SearchBox.tsx';
import { CustomRange } from './CustomRange.tsx';
import { SavedSearches } from './SavedSearches.tsx';
import { useState } from 'react';
import { useWorkspace, type TimePreset } from '../../stores/workspace.ts';

const PRESETS: [TimePreset, string][] = [
  ['24h', 'Last 24 hours'],
  ['7d', '7 days'],
  ['30d', '30 days'],
  ['90d', '90 days'],
  ['all', 'All time'],
];

const ZONES = ['utc', 'local', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'];

export function FilterBar({
  searchRef,
  valueQuery,
}: {
  searchRef: React.RefObject<HTMLInputElement | null>;
  valueQuery: EventQuery;
}) {
  const searchError = useWorkspace((s) => s.searchError);
  const [editingRange, setEditingRange] = useState(false);
  const preset = useWorkspace((s) => s.preset);
  const setPreset = useWorkspace((s) => s.setPreset);
  const chips = useWorkspace((s) => s.chips);
  const pinned = useWorkspace((s) => s.pinned);
  const pin = useWorkspace((s) => s.pin);
  const removeChip = useWorkspace((s) => s.removeChip);
  const toggleChip = useWorkspace((s) => s.toggleChip);
  const zone = useWorkspace((s) => s.zone);
  const setZone = useWorkspace((s) => s.setZone);
  const searchRevision = useWorkspace((s) => s.searchRevision);

  return (
    <div className="filter-bar">
      <div className="filter-row">
        <div className="presets" role="group" aria-label="Time range">
          {PRESETS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              className={preset === id ? 'selected' : ''}
              aria-pressed={preset === id}
              onClick={() => setPreset(id)}
            >
              {label}
            </button>
          ))}
          <button
            type="button"
            className={preset === 'custom' ? 'selected' : ''}
            aria-pressed={preset === 'custom'}
            onClick={() => setEditingRange(!editingRange)}
            title="Type a time range"
          >
            Custom…
          </button>
          {preset === 'custom' && (
            <button type="button" className="selected" aria-pressed onClick={() => setPreset('all')}>
              Custom range ✕
            </button>
          )}
        </div>
        {/* Keyed by revision: a search applied from elsewhere replaces the box's draft. */}
        <SearchBox key={searchRevision} searchRef={searchRef} valueQuery={valueQuery} />
        <SavedSearches />
        <select aria-label="Time zone" value={zone} onChange={(e) => setZone(e.target.value)}>
          {ZONES.map((z) => (
            <option key={z} value={z}>
              {zoneLabel(z)}
            </option>
          ))}
        </select>
      </div>
      {editingRange && <CustomRange onDone={() => setEditingRange(false)} />}
      {searchError && (
        <div className="search-error" role="alert">
          {cellText(searchError.message)} (at character {searchError.offset + 1})
        </div>
      )}
      {(chips.length > 0 || pinned) && (
        <div className="chips" aria-label="Filters">
          {pinned && (
            <span className="chip pinned">
              <span className="chip-label" title="These events only, at any time">
                {cellText(pinned.label)}
                {pinned.seqs && ` (${formatCount(pinned.seqs.length)})`}
              </span>
              <ChipRemove onClick={() => pin(undefined)} />
            </span>
          )}
          {chips.map((chip, i) => (
            <span
              key={`${chip.field}=${chip.value}=${chip.negated}`}
              className={`chip${chip.negated ? ' negated' : ''}`}
            >
              <button
                type="button"
                className="chip-label"
                title="Include / exclude"
                onClick={() => toggleChip(i)}
              >
                {chip.negated ? 'NOT ' : ''}
                {chip.field}: {cellText(chip.value)}
              </button>
              <ChipRemove onClick={() => removeChip(i)} />
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

/** The ✕ that removes a filter chip. */
function ChipRemove({ onClick }: { onClick(): void }) {
  return (
    <button type="button" className="chip-remove" aria-label="Remove filter" onClick={onClick}>
      ✕
    </button>
  );
}
