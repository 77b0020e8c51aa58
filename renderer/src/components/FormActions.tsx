import type { ReactNode } from 'react';
import { ErrorLine } from './ErrorLine';

interface FormActionsProps {
  /** What went wrong with the last attempt, announced to screen readers. */
  error: string | null | undefined;
  cancelLabel: string;
  onCancel: () => void;
  /** The primary button (submit or action); omitted when there is nothing to do but cancel. */
  children?: ReactNode;
}

/** The foot of every form dialog: the last error, then Cancel and the primary action. */
export function FormActions({ error, cancelLabel, onCancel, children }: FormActionsProps) {
  return (
    <>
      <ErrorLine error={error} />
      <div className="dialog__actions">
        <button type="button" className="button button--quiet" onClick={onCancel}>
          {cancelLabel}
        </button>
        {children}
      </div>
    </>
  );
}
