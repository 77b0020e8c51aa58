import { useEffect, useState } from 'react';
import type { ActionPreview, ActionRequest } from '../../../../shared/guide/wizardApi';
import { useApi } from '../../api/ApiContext';
import { errorText } from '../hosts/useAsyncTask';

/** Typing pauses this long before the server is asked (it runs docker inspect each time). */
const SETTLE_MS = 350;

export interface PreviewState {
  /** The preview of exactly `request`, or null while it is being asked for. */
  preview: ActionPreview | null;
  error: string | null;
}

/**
 * The exact commands of an action and what on the server refuses them, asked again whenever the
 * request (or `refresh`, after an action changed the server) changes; null asks nothing.
 */
export function useActionPreview(request: ActionRequest | null, refresh: number): PreviewState {
  const api = useApi();
  const key = request === null ? null : JSON.stringify(request);
  const [state, setState] = useState<{ key: string | null; refresh: number } & PreviewState>({ key: null, refresh, preview: null, error: null });

  useEffect(() => {
    if (key === null) return;
    let live = true;
    const timer = setTimeout(() => {
      api.guide.previewAction(JSON.parse(key) as ActionRequest).then(
        (preview) => live && setState({ key, refresh, preview, error: null }),
        (failure: unknown) => live && setState({ key, refresh, preview: null, error: errorText(failure) }),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, key, refresh]);

  return state.key === key && state.refresh === refresh ? { preview: state.preview, error: state.error } : { preview: null, error: null };
}
