import { Modal } from '../../components/Modal.tsx';
import { useEscapeToClose } from '../../components/use-escape.ts';

const KEYS: readonly [string, string][] = [
  ['/', 'Search'],
  ['j / ↓, k / ↑', 'Next / previous event'],
  ['PageDown / PageUp', '25 events down / up'],
  ['Home / End', 'First / last event'],
  ['Enter', 'Open the event’s details'],
  ['Esc', 'Leave a field; close details, menus and dialogs'],
  ['Ctrl/⌘ C', 'Copy the selected events as JSON lines'],
  ['s', 'Star or unstar the selected events'],
  ['Shift / Ctrl click', 'Select a range / add to the selection'],
  ['Right-click a cell', 'Copy it, or filter for or out its value'],
];

const SYNTAX: readonly [string, string][] = [
  ['actor:alice action:iam:*', 'Terms are ANDed; * and ? are globs'],
  ['outcome:failure OR -source:okta', 'OR, NOT or -, and parentheses combine terms'],
  ['time:>=2024-03-01', 'Comparisons on time and numbers'],
  ['ip:10.0.0.0/8', 'CIDR ranges, IPv6 too'],
  ['sessionId:*', 'The field is present'],
  ['is:starred tag:c2', 'Your marks: is:starred, is:tagged, is:noted, tag:<name>'],
  [
    'kind:login-failed',
    'What an event was: login, login-failed, logout, view, create, modify, delete, export, other',
  ],
  ['userIdentity.arn:*admin*', 'Any other dotted name is a path into the original record'],
  ['"access denied" mimikatz', 'Bare words and quoted phrases search the full text'],
];

/** Help ▸ Keyboard Shortcuts and Search Syntax (F1 in the desktop app, `?` in the workspace). */
export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  useEscapeToClose(onClose);
  return (
    <Modal label="Keyboard shortcuts and query syntax" className="help-dialog" onClose={onClose}>
      <div>
        <h2>Keyboard shortcuts</h2>
        <HelpList entries={KEYS} term={(keys) => <kbd>{keys}</kbd>} />
        <h2>Search syntax</h2>
        <HelpList entries={SYNTAX} term={(example) => <code>{example}</code>} />
        <p className="muted">
          Normalized fields: time source action category outcome actor actor.id actor.name actor.email
          actor.type target target.type target.id target.name ip userAgent sessionId requestId severity
          message id.
        </p>
        <footer>
          <button type="button" autoFocus onClick={onClose}>
            Close
          </button>
        </footer>
      </div>
    </Modal>
  );
}

function HelpList({
  entries,
  term,
}: {
  entries: readonly [string, string][];
  term: (text: string) => React.ReactNode;
}) {
  return (
    <dl className="help-list">
      {entries.map(([text, what]) => (
        <div key={text}>
          <dt>{term(text)}</dt>
          <dd>{what}</dd>
        </div>
      ))}
    </dl>
  );
}
