import { useEffect } from 'react';

/**
 * Esc closes a dialog wherever the focus is (a clicked button may have taken it), and only the
 * dialog: captured first and marked handled, so the workspace keys leave it alone.
 */
export function useEscapeToClose(onClose: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      onClose();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [onClose]);
}
