import { useEffect } from 'react';
import { entityLabel, type AlertNotice } from '../../../../shared/domain/alert.ts';
import { onPush } from '../../lib/api.ts';
import { useWorkspace } from '../../stores/workspace.ts';

/** Individual notifications at most per batch; beyond, one that says how many more. */
const AT_MOST = 3;

const serious = (a: AlertNotice): boolean => (a.level === 'high' || a.level === 'critical') && !a.suppressed;

/** An alert notifies again only after this long, however many events it gains meanwhile. */
const QUIET_MS = 10 * 60_000;
const lastShown = new Map<string, number>();

function show(key: string, title: string, body: string): void {
  // The tag replaces an earlier notification of the same alert instead of stacking another.
  const notification = new Notification(title, { body, tag: `auditscope:${key}` });
  notification.onclick = () => {
    window.focus();
    useWorkspace.getState().setView('detections');
  };
}

/**
 * Desktop notifications (the browser's Notification API in serve mode, the OS's in the desktop
 * app) for high and critical alerts that newly arrived events raised or added to. Text only:
 * titles and entities come from log content.
 */
export function useAlertNotifications(): void {
  useEffect(
    () =>
      onPush('alerts.raised', (alerts) => {
        const now = Date.now();
        const worth = alerts.filter(
          (a) => serious(a) && now - (lastShown.get(a.key) ?? -Infinity) >= QUIET_MS,
        );
        if (worth.length === 0 || typeof Notification === 'undefined') return;
        const send = (): void => {
          if (Notification.permission !== 'granted') return;
          for (const alert of worth) lastShown.set(alert.key, now);
          for (const alert of worth.slice(0, AT_MOST))
            show(
              alert.key,
              `${alert.level === 'critical' ? 'Critical' : 'High'} alert: ${alert.title}`,
              `${entityLabel(alert.entity)} · ${alert.count} events`.replace(/^ · /, ''),
            );
          if (worth.length > AT_MOST)
            show('more', 'More alerts', `${worth.length - AT_MOST} more high-severity alerts in Detections`);
        };
        if (Notification.permission === 'default')
          Notification.requestPermission().then(send, () => undefined);
        else send();
      }),
    [],
  );
}
