import { useEffect } from 'react';

/**
 * Esc closes a dialog wherever the focus is (a clicked button may have taken it), and only the
 * dialog: captured first and marked handled, so the workspace keys leave it alone. Inactive (a
 * closed menu) it listens to nothing.
 */
export function useEscapeToClose(onClose: () => void, active = true): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      onClose();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [onClose, active]);
}

/** A popup menu closes on Esc (as above) and on a press anywhere outside `ref`. */
export function useDismiss(
  ref: React.RefObject<HTMLElement | null>,
  onClose: () => void,
  active = true,
): void {
  useEscapeToClose(onClose, active);
  useEffect(() => {
    if (!active) return;
    const away = (event: MouseEvent): void => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [ref, onClose, active]);
}
