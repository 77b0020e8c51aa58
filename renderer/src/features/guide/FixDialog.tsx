import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Api } from '../../../../shared/api/contract';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import type { ItemResult } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { FormActions } from '../../components/FormActions';
import { errorText, useAsyncTask } from '../hosts/useAsyncTask';
import { StatusMark } from './StatusMark';
import type { GuideItemView } from './wizardState';

type FixPreview = Awaited<ReturnType<Api['guide']['previewFix']>>;
type FixOutcome = Awaited<ReturnType<Api['guide']['runFix']>>;

interface FixDialogProps {
  host: HostProfile;
  stepId: string;
  item: GuideItemView;
  /** The answers the host was checked with: the fix must act on what the user saw. */
  params: GuideParams;
  language: Language;
  onRechecked(result: ItemResult): void;
  onClose(): void;
}

/** Shows the exact commands first; runs them only on the user's word, then shows what each did. */
export function FixDialog({ host, stepId, item, params, language, onRechecked, onClose }: FixDialogProps) {
  const api = useApi();
  const { t } = useTranslation();
  const [preview, setPreview] = useState<FixPreview | null>(null);
  const [outcome, setOutcome] = useState<FixOutcome | null>(null);
  const fix = useAsyncTask();
  const [previewError, setPreviewError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.guide.previewFix({ stepId, itemId: item.id, params }).then(
      (answer) => live && setPreview(answer),
      (failure: unknown) => live && setPreviewError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [api, stepId, item.id, params]);

  const runFix = () =>
    fix.run(async () => {
      const answer = await api.guide.runFix({ hostId: host.id, stepId, itemId: item.id, params });
      setOutcome(answer);
      if (answer.recheck) onRechecked(answer.recheck);
    });

  const title = t('wizard.fixTitle', { item: item.title[language], host: host.name });
  return (
    <Dialog title={title} onClose={onClose} className="wizard-fix">
      {item.fix && <p className="dialog__text">{item.fix.explanation[language]}</p>}
      {!preview && !previewError && <p className="wizard-muted">{t('wizard.fixLoading')}</p>}
      {preview && (
        <>
          <p className="dialog__text">{t('wizard.fixCommands', { host: host.name })}</p>
          <pre className="wizard-pre wizard-pre--wrap" aria-label={t('wizard.commands')}>
            {preview.commands.join('\n')}
          </pre>
          {preview.confirm && !outcome && <p className="wizard-warning">{t('wizard.fixConfirmNote')}</p>}
        </>
      )}
      {outcome && <FixRuns outcome={outcome} planned={preview?.commands.length ?? 0} language={language} />}
      <FormActions error={previewError ?? fix.error} cancelLabel={outcome ? t('wizard.close') : t('wizard.cancel')} onCancel={onClose}>
        {preview && !outcome && (
          <button type="button" className="button" disabled={fix.busy} onClick={() => void runFix()}>
            {fix.busy ? t('wizard.fixRunning') : t('wizard.fixRun', { host: host.name })}
          </button>
        )}
      </FormActions>
    </Dialog>
  );
}

function FixRuns({ outcome, planned, language }: { outcome: FixOutcome; planned: number; language: Language }) {
  const { t } = useTranslation();
  return (
    <section className="wizard-runs" aria-label={t('wizard.fixResults')}>
      <h3>{t('wizard.fixResults')}</h3>
      <ol>
        {outcome.runs.map((run, index) => (
          <li key={index} className="wizard-run">
            <code>{run.command}</code>
            <span className={run.code === 0 ? 'wizard-run__code' : 'wizard-run__code wizard-run__code--bad'}>
              {run.code === null ? t('wizard.exitNone') : t('wizard.exitCode', { code: run.code })}
            </span>
            {run.stdout && (
              <details>
                <summary>{t('wizard.stdout')}</summary>
                <pre className="wizard-pre">{run.stdout}</pre>
              </details>
            )}
            {run.stderr && (
              <details open={run.code !== 0}>
                <summary>{t('wizard.stderr')}</summary>
                <pre className="wizard-pre">{run.stderr}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
      {outcome.runs.length < planned && <p className="wizard-warning">{t('wizard.fixStopped', { count: planned - outcome.runs.length })}</p>}
      {outcome.recheck ? (
        <p className="wizard-recheck">
          <StatusMark status={outcome.recheck.status} />
          <span>
            {t('wizard.recheck')} {outcome.recheck.summary[language]}
          </span>
        </p>
      ) : (
        <p className="wizard-muted">{t('wizard.noRecheck')}</p>
      )}
    </section>
  );
}
