import { useState } from 'react';
import { call } from '../../lib/api.ts';
import { cellText, formatCount, formatTime } from '../../lib/format.ts';
import { useLive } from '../../stores/live.ts';
import { useImports } from '../../stores/imports.ts';
import { useWorkspace } from '../../stores/workspace.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';

/** Events per second as a small line, the last minute. */
function Sparkline({ rate }: { rate: number[] }) {
  const max = Math.max(1, ...rate);
  const points = rate.map((n, i) => `${(i / (rate.length - 1)) * 120},${22 - (n / max) * 20}`).join(' ');
  return (
    <svg
      className="sparkline"
      width="120"
      height="24"
      role="img"
      aria-label={`events per second, last minute; now ${rate[rate.length - 1] ?? 0}`}
    >
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

/**
 * The live bar over Logs while files are followed: each file's state and what it stored, the
 * event rate, pause/resume of the view (the store never pauses), "N new events" when the view
 * is not following, and stop.
 */
export function LiveBar({ newEvents }: { newEvents: number }) {
  const byPath = useLive((s) => s.tails);
  const tails = Object.values(byPath);
  const rate = useLive((s) => s.rate);
  const paused = useLive((s) => s.paused);
  const atNewest = useLive((s) => s.atNewest);
  const [error, setError] = useState<string>();
  const zone = useWorkspace((s) => s.zone);
  if (tails.length === 0) return null;
  const live = tails.some((t) => t.state === 'following');
  const jumpToLive = (): void => {
    useLive.getState().setPaused(false);
    useLive.getState().setAtNewest(true);
    useWorkspace.getState().setOrder('desc');
    useWorkspace.getState().setCursor(0, 'start');
    useImports.getState().requery();
  };
  return (
    <div className={`live-bar${live ? ' live' : ''}`} role="region" aria-label="Live tail">
      <span className="live-dot" aria-hidden />
      <ul className="live-tails">
        {tails.map((t) => (
          <li key={t.path} title={t.path}>
            <strong>{cellText(t.path.split(/[\\/]/).pop())}</strong>{' '}
            <span className={`live-state ${t.state.replace(/ /g, '-')}`}>{t.state}</span> ·{' '}
            {formatCount(t.events)} events
            {t.rejected > 0 && ` · ${formatCount(t.rejected)} rejected`}
            {t.rotations + t.truncations > 0 && ` · ${t.rotations} rotated, ${t.truncations} truncated`}
            {(t.state === 'reconnecting' || t.state === 'retrying') && t.retryAt !== undefined && (
              <span className="muted">
                {' '}
                · attempt {t.attempt}, next at {formatTime(t.retryAt * 1000, zone).slice(11, 19)}
              </span>
            )}
            {t.error && <span className="failure-text"> · {cellText(t.error)}</span>}
            {t.warning && <span className="failure-text"> · {cellText(t.warning)}</span>}
            {(t.state === 'following' ||
              t.state === 'waiting for the file' ||
              t.state === 'reconnecting' ||
              t.state === 'retrying' ||
              t.state === 'stalled') && (
              <button
                type="button"
                className="text-button"
                onClick={() => call('tail.stop', t.path).then(undefined, (e: Error) => setError(e.message))}
              >
                Stop
              </button>
            )}
          </li>
        ))}
      </ul>
      <Sparkline rate={rate} />
      <span className="muted">{formatCount(rate[rate.length - 1] ?? 0)}/s</span>
      {newEvents > 0 ? (
        <button type="button" className="live-new" onClick={jumpToLive}>
          {formatCount(newEvents)} new {newEvents === 1 ? 'event' : 'events'} · jump to live
        </button>
      ) : (
        !paused && !atNewest && <span className="muted">scrolled away: not following</span>
      )}
      <button
        type="button"
        className="header-button"
        onClick={() => (paused ? jumpToLive() : useLive.getState().setPaused(true))}
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
      <ErrorNote message={error} />
    </div>
  );
}
