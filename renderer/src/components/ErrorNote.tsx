/** An error said in the page, as text, announced to screen readers; nothing when there is none. */
export function ErrorNote({ message }: { message: string | null | undefined }) {
  return message ? (
    <p className="app-error" role="alert">
      {message}
    </p>
  ) : null;
}
