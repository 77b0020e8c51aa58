import { useCallback, useState } from 'react';

/** ApiError keeps the main process's message; that sentence is what the user needs. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One request at a time from a dialog: whether it is running, and why the last one failed. */
export function useAsyncTask(): { busy: boolean; error: string | null; run(task: () => Promise<void>): Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
