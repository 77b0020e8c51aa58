import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import { STOP_GRACE_SECONDS } from '../../../../shared/guide/trainingStatus';
import type { StopResult } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { useApi } from '../../api/ApiContext';
import { useAsyncTask } from '../hosts/useAsyncTask';
import './trainingRun.css';
import { ErrorLine } from '../../components/ErrorLine';

export interface LiveRun {
  readonly host: HostProfile;
  readonly params: GuideParams;
}

interface TrainingStopProps {
  /** The ticked hosts whose run is live: a multi-node run is stopped on all of them at once. */
  runs: readonly LiveRun[];
  /** Checks the step again on these hosts, so each shows how its run ended. */
  onStopped(hosts: readonly HostProfile[]): Promise<void>;
}

type Preview = readonly { host: HostProfile; command: string }[];
type Outcome = readonly { host: HostProfile; result: StopResult | null; error: string | null }[];

/** Step 6's Stop: the exact command for each node, a confirmation, then every node stopped together. */
export function TrainingStop({ runs, onStopped }: TrainingStopProps) {
  const api = useApi();
  const { t } = useTranslation();
  const task = useAsyncTask();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (runs.length === 0 && !outcome && !task.error) return null;

  const label = runs.length === 1 ? t('wizard.stop.labelOne', { host: runs[0]?.host.name }) : t('wizard.stop.labelAll', { count: runs.length });
  const ask = () =>
    task.run(async () => {
      setOutcome(null);
      setPreview(await Promise.all(runs.map(async ({ host, params }) => ({ host, command: (await api.guide.previewStop({ hostId: host.id, params })).command }))));
    });
  const stop = () =>
    task.run(async () => {
      setPreview(null);
      const results = await Promise.all(
        runs.map(async ({ host, params }) => {
          try {
            return { host, result: await api.guide.stopTraining({ hostId: host.id, params }), error: null };
          } catch (failure) {
            return { host, result: null, error: failure instanceof Error ? failure.message : String(failure) };
          }
        }),
      );
      setOutcome(results);
      await onStopped(results.map((entry) => entry.host));
    });

  return (
    <div className="wizard-stop">
      {runs.length > 0 && !preview && (
        <div className="wizard-toolbar">
          <button type="button" className="button button--danger" disabled={task.busy} aria-label={label} onClick={() => void ask()}>
            {task.busy ? t('wizard.stop.stopping') : t('wizard.stop.button')}
          </button>
        </div>
      )}
      {preview && (
        <div role="group" aria-label={t('wizard.stop.confirmLabel')}>
          <p>{t('wizard.stop.explain', { seconds: STOP_GRACE_SECONDS })}</p>
          {preview.map(({ host, command }) => (
            <div key={host.id}>
              <h5>{t('wizard.fixCommands', { host: host.name })}</h5>
              <pre className="wizard-pre wizard-pre--wrap">{command}</pre>
            </div>
          ))}
          <div className="wizard-toolbar">
            <button type="button" className="button button--danger" disabled={task.busy} onClick={() => void stop()}>
              {runs.length > 1 ? t('wizard.stop.confirmAll', { count: preview.length }) : t('wizard.stop.confirmOne')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setPreview(null)}>
              {t('wizard.stop.keep')}
            </button>
          </div>
        </div>
      )}
      {outcome && (
        <ul aria-label={t('wizard.stop.outcomes')}>
          {outcome.map(({ host, result, error }) => (
            <li key={host.id} role="status">
              {error !== null
                ? t('wizard.stop.failed', { host: host.name, error })
                : result?.outcome === 'none' && result.code !== 0
                  ? t('wizard.stop.failed', { host: host.name, error: result.stderr.trim() || t('wizard.stop.exit', { code: result.code }) })
                  : t(`wizard.stop.outcome.${result?.outcome ?? 'none'}`, { host: host.name, seconds: result?.waitedSeconds ?? 0 })}
            </li>
          ))}
        </ul>
      )}
      <ErrorLine error={task.error} />
    </div>
  );
}
