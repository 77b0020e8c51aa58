import { useId, useLayoutEffect, useRef } from 'react';
import type { ReactNode } from 'react';

interface DialogProps {
  title: string;
  /** Escape, or any other close by the browser: the owner answers by unmounting the dialog. */
  onClose(): void;
  children: ReactNode;
  className?: string;
  role?: 'alertdialog';
}

/**
 * A modal `<dialog>` that is open while mounted. showModal() makes the page behind it inert, which
 * traps focus, and gives Escape; the element marked `data-autofocus` gets the first focus.
 */
export function Dialog({ title, onClose, children, className, role }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    // A 'close' event is queued; if the dialog is open again when it arrives (React's StrictMode
    // runs this effect twice in development: close, then showModal), it is stale.
    const closedByBrowser = () => {
      if (!element.open) onCloseRef.current();
    };
    element.addEventListener('close', closedByBrowser);
    element.showModal();
    element.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      element.removeEventListener('close', closedByBrowser);
      // Closing before React removes it hands focus back to the control that opened it.
      element.close();
    };
  }, []);

  return (
    <dialog ref={ref} className={className ? `dialog ${className}` : 'dialog'} role={role} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
