import { useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';

/**
 * Problems show from the first submit on (not while the user is still typing the first time),
 * and each submit moves focus to the first field that is still wrong.
 */
export function useFormAttempts(): { form: RefObject<HTMLFormElement | null>; attempted: boolean; attempt(): void } {
  const form = useRef<HTMLFormElement>(null);
  const [attempts, setAttempts] = useState(0);
  useEffect(() => {
    const wrong = attempts > 0 ? form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    if (!wrong) return;
    // Centred, so the field's label and message are in view too, not cut at the dialog's edge.
    wrong.focus({ preventScroll: true });
    wrong.scrollIntoView({ block: 'center' });
  }, [attempts]);
  return { form, attempted: attempts > 0, attempt: () => setAttempts((count) => count + 1) };
}
