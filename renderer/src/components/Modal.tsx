/**
 * A dialog over a dimmed page: a click outside closes it, a click inside does not. Keys are the
 * content's business (a dialog that closes on Esc says so itself).
 */
export function Modal({
  label,
  className,
  onClose,
  children,
}: {
  label: string;
  className?: string;
  onClose(): void;
  children: React.ReactNode;
}) {
  return (
    <div className="modal-backdrop" role="presentation" onClick={onClose}>
      <div
        className={className ? `modal ${className}` : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        onClick={(e) => e.stopPropagation()}
      >
        {children}
      </div>
    </div>
  );
}
