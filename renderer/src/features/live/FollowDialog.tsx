import { useState } from 'react';
import { call } from '../../lib/api.ts';
import { Modal } from '../../components/Modal.tsx';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useLive } from '../../stores/live.ts';

/** Follow a log file on this machine into the case, from now on or from its start. */
export function FollowDialog({ onClose }: { onClose(): void }) {
  const [path, setPath] = useState('');
  const [fromStart, setFromStart] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <Modal label="Follow a log file" className="follow-dialog" onClose={onClose}>
      <h2>Follow a log file</h2>
      <p className="muted">
        Its events are stored in this case as they are written, through the same formats as an import, across
        rotation and truncation, and checked against the detection rules.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          call('tail.follow', { path: path.trim(), fromStart }).then(
            (status) => {
              useLive.getState().seed(status);
              onClose();
            },
            (err: Error) => setError(err.message),
          );
        }}
      >
        <label className="follow-path">
          File path
          <input
            type="text"
            value={path}
            autoFocus
            spellCheck={false}
            placeholder="/var/log/audit/audit.log"
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        <label className="follow-start">
          <input type="checkbox" checked={fromStart} onChange={(e) => setFromStart(e.target.checked)} /> Read
          what the file already holds too (else only what is written from now on)
        </label>
        <ErrorNote message={error} />
        <footer>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={path.trim() === ''}>
            Follow
          </button>
        </footer>
      </form>
    </Modal>
  );
}
