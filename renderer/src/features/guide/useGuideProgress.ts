import { useCallback, useEffect, useState } from 'react';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import type { HostCheckResult, WizardProgress } from '../../../../shared/guide/wizardApi';
import { useApi } from '../../api/ApiContext';
import { errorText } from '../hosts/useAsyncTask';
import { withActionEvent, withCheckResults, withOutput } from './guideProgress';
import type { ActionOutput } from './guideProgress';

export interface GuideProgressView {
  /** Null until the saved progress has arrived. */
  progress: WizardProgress | null;
  loadError: string | null;
  outputs: Readonly<Record<string, ActionOutput>>;
  checked(stepId: string, results: readonly HostCheckResult[], params: GuideParams): void;
}

/** Where each host is, as saved in the main process, kept current by the actions' events. */
export function useGuideProgress(): GuideProgressView {
  const api = useApi();
  const [progress, setProgress] = useState<WizardProgress | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [outputs, setOutputs] = useState<Readonly<Record<string, ActionOutput>>>({});

  useEffect(() => {
    let live = true;
    const unsubscribe = api.guide.onDidProgress((event) => {
      setProgress((current) => current && withActionEvent(current, event));
      setOutputs((current) => withOutput(current, event));
    });
    api.guide.getProgress().then(
      (saved) => live && setProgress(saved),
      (failure: unknown) => live && setLoadError(errorText(failure)),
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);

  const checked = useCallback((stepId: string, results: readonly HostCheckResult[], params: GuideParams) => {
    setProgress((current) => current && withCheckResults(current, stepId, results, params));
  }, []);

  return { progress, loadError, outputs, checked };
}
