import { useState } from 'react';
import {
  DEFAULT_DETECTION_SETTINGS,
  DetectionSettings,
} from '../../../../shared/domain/detection-settings.ts';
import { call } from '../../lib/api.ts';
import { Modal } from '../../components/Modal.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';

type Key = keyof DetectionSettings;

/** What each number is, for screen readers (the sentence around it says the same on screen). */
const LABELS: Record<Key, string> = {
  ipFailures: 'Failed sign-ins from one IP',
  ipFailuresMinutes: 'Minutes for failed sign-ins from one IP',
  accountFailuresAbove: 'Failed sign-ins of one account (more than)',
  accountFailuresHours: 'Hours for failed sign-ins of one account',
  sprayAccounts: 'Accounts one IP fails against',
  sprayHours: 'Hours for password spraying',
  exportCount: 'Exports or downloads by one actor',
  exportMinutes: 'Minutes for exports or downloads',
  workStart: 'Working hours start',
  workEnd: 'Working hours end',
};

/** The settings, a sentence each, with the number fields where the numbers go. */
const SENTENCES: [before: string, first: Key, middle: string, second: Key, after: string][] = [
  [
    'Suspicious IP:',
    'ipFailures',
    'or more failed sign-ins from one IP within',
    'ipFailuresMinutes',
    'minutes',
  ],
  [
    'Targeted account: more than',
    'accountFailuresAbove',
    'failed sign-ins of one account within',
    'accountFailuresHours',
    'hours',
  ],
  [
    'Password spraying: one IP failing against',
    'sprayAccounts',
    'or more accounts within',
    'sprayHours',
    'hours',
  ],
  [
    'Large export:',
    'exportCount',
    'or more exports or downloads by one actor within',
    'exportMinutes',
    'minutes',
  ],
  ['Working hours: from', 'workStart', ':00 to', 'workEnd', ':00 (in the zone times are shown in)'],
];

/** The built-in rules' thresholds for this case: saved with it, journaled. */
export function ThresholdsDialog({
  settings,
  onClose,
  onSaved,
}: {
  settings: DetectionSettings;
  onClose(): void;
  onSaved(settings: DetectionSettings): void;
}) {
  const [draft, setDraft] = useState<Record<Key, string>>(
    () => Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])) as Record<Key, string>,
  );
  const [error, setError] = useState<string>();
  const parsed = DetectionSettings.safeParse(
    Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, v.trim() === '' ? NaN : Number(v)])),
  );
  const field = (key: Key) => (
    <input
      type="number"
      className="threshold-input"
      aria-label={LABELS[key]}
      value={draft[key]}
      onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
    />
  );
  return (
    <Modal label="Detection thresholds" className="thresholds-dialog" onClose={onClose}>
      <h2>Detection thresholds</h2>
      <p className="muted">
        The built-in rules and the dashboard use these numbers for this case; changes are kept with it and
        written to its journal.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!parsed.success) return;
          call('detection.setSettings', parsed.data).then(onSaved, (err: Error) => setError(err.message));
        }}
      >
        {SENTENCES.map(([before, first, middle, second, after]) => (
          <p key={first} className="threshold-line">
            {before} {field(first)} {middle} {field(second)} {after}
          </p>
        ))}
        {!parsed.success && <p className="app-error">Every value must be a whole number in range.</p>}
        <ErrorNote message={error} />
        <footer>
          <button
            type="button"
            onClick={() =>
              setDraft(
                Object.fromEntries(
                  Object.entries(DEFAULT_DETECTION_SETTINGS).map(([k, v]) => [k, String(v)]),
                ) as Record<Key, string>,
              )
            }
          >
            Defaults
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!parsed.success}>
            Save
          </button>
        </footer>
      </form>
    </Modal>
  );
}
