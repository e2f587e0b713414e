import { useEffect, useState } from 'react';
import type { CaseStats } from '../../../shared/domain/case.ts';
import { call } from '../lib/api.ts';

/** The case overview: what is in the open case. The investigation workspace builds on it. */
export function App() {
  const [stats, setStats] = useState<CaseStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('case.stats').then(setStats, (e: Error) => setError(e.message));
  }, []);
  return (
    <main
      style={{
        fontFamily: 'system-ui, sans-serif',
        color: '#e6e8ee',
        background: '#0f1115',
        minHeight: '100vh',
        padding: 24,
      }}
    >
      <h1 style={{ fontSize: 18, fontWeight: 600 }}>Auditscope</h1>
      {error && <p role="alert">{error}</p>}
      {stats && (
        <p>
          {stats.events.toLocaleString()} events from {stats.imports} import(s), {stats.rejects} rejected
        </p>
      )}
    </main>
  );
}
