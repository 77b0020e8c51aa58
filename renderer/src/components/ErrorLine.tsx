/** A failure said where it happened, announced to screen readers; nothing when there is none. */
export function ErrorLine({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p className="form__error" role="alert">
      {error}
    </p>
  );
}
