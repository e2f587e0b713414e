import type { ReactNode } from 'react';

/** The bar at the top of a view: its tabs, a status line read out as it changes, its actions. */
export function ViewHeader({
  tabs,
  status,
  children,
}: {
  tabs?: ReactNode;
  status: ReactNode;
  children?: ReactNode;
}) {
  return (
    <header className="timeline-header">
      {tabs}
      <p className="timeline-status" aria-live="polite">
        {status}
      </p>
      {children}
    </header>
  );
}
