import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { DockerRunOptions } from '../../../../shared/guide/dockerRunForm';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import type { LossSource } from '../../../../shared/guide/lossNode';
import { validateTrainingForm } from '../../../../shared/guide/trainingForm';
import type { TrainingForm } from '../../../../shared/guide/trainingForm';
import type { ActionRecord, ActionRequest, HostProgress, ItemResult } from '../../../../shared/guide/wizardApi';
import { WEIGHTS_DIR } from '../../../../shared/guide/workPaths';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { DatasetUpload } from './DatasetUpload';
import { FollowLoss } from './FollowLoss';
import { actionKey, lastAction } from './guideProgress';
import type { ActionOutput } from './guideProgress';
import { ActionState } from './ActionState';
import { ResultRow } from './HostResults';
import { ItemAction } from './ItemAction';
import { resultsOf } from './laterSteps';
import { TrainingFormView } from './TrainingFormView';
import { TrainingOutputList } from './TrainingOutputList';
import { UploadBox } from './UploadBox';
import type { GuideItemView, GuideStepView } from './wizardState';

interface LaterHostProps {
  host: HostProfile;
  step: GuideStepView;
  /** The step's number in the guide. */
  number: number;
  saved: HostProgress;
  params: GuideParams;
  options: DockerRunOptions;
  outputs: Readonly<Record<string, ActionOutput>>;
  checking: boolean;
  language: Language;
  /** Step 6's form on this host (with the multi-node values applied), and whether several hosts train together. */
  training: { form: TrainingForm; multiNode: boolean; onChange(form: TrainingForm): void } | null;
  /** Step 6: where this host's run prints its loss, and the hosts training with it. */
  loss: { source: LossSource | null; hosts: readonly HostProfile[] } | null;
  onRecheck(): void;
}

/** How often a running training's status is read again. */
const RUN_POLL_MS = 5000;

/** Items whose action stays offered after they pass: the script is rewritten whenever the form changes. */
const ALWAYS_ACTIONABLE = new Set(['script']);

/** Steps 3–6 on one host: each item's verdict with the server's lines, and what makes it pass. */
export function LaterHost({ host, step, number, saved, params, options, outputs, checking, language, training, loss, onRecheck }: LaterHostProps) {
  const { t } = useTranslation();
  const results = resultsOf(saved, step.id);
  const checked = saved.steps[step.id];
  const runIsLive = results.get('run')?.facts?.state === 'running';

  // A running training is looked at again now and then, so its end (and how) shows without a click.
  useEffect(() => {
    if (!runIsLive) return;
    const timer = setInterval(onRecheck, RUN_POLL_MS);
    return () => clearInterval(timer);
    // The callback changes with every render; the polling only follows the run's state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runIsLive]);
  const trainingErrors = training ? validateTrainingForm(training.form) : [];
  const request = (item: GuideItemView): ActionRequest | null => {
    if (item.id === 'script' && (!training || trainingErrors.length > 0)) return null;
    return { hostId: host.id, stepId: step.id, itemId: item.id, params, options, inputs: { training: training?.form ?? null } };
  };

  const extras = (item: GuideItemView, result: ItemResult | undefined) => {
    if (item.id === 'code-package' && result?.status !== 'pass') return <UploadBox host={host} label={t('wizard.later.packageFile')} remoteDir={params.workDir} onUploaded={onRecheck} />;
    if (item.id === 'weights' && result?.status !== 'pass') return <UploadBox host={host} label={t('wizard.later.weightsFolder', { name: WEIGHTS_DIR })} remoteDir={params.workDir} onUploaded={onRecheck} />;
    if (item.id === 'dataset') return <DatasetUpload host={host} params={params} uploading={lastAction(saved, step.id, item.id)?.state === 'running'} />;
    if (item.id === 'output' && result?.facts?.listing) return <TrainingOutputList host={host} dir={result.facts.dir ?? ''} listing={result.facts.listing} language={language} />;
    if (item.id === 'script' && training) return <TrainingFormView host={host} form={training.form} errors={trainingErrors} multiNode={training.multiNode} language={language} onChange={training.onChange} />;
    if (item.id === 'run' && result?.facts?.hostLog) return <FollowLoss host={host} ownLog={result.facts.hostLog} source={loss?.source ?? null} hosts={loss?.hosts ?? [host]} />;
    return null;
  };

  return (
    <section className="wizard-host wizard-container-host" aria-label={t('wizard.later.hostRegion', { n: number, host: host.name })} aria-busy={checking}>
      <header className="wizard-host__header">
        <h3>{host.name}</h3>
        {checked && <span className="wizard-muted">{t('wizard.checkedAt', { time: new Date(checked.checkedAt).toLocaleTimeString(language) })}</span>}
      </header>
      {checked?.error && (
        <p className="wizard-host__error" role="alert">
          {t('wizard.hostError', { message: checked.error })}
        </p>
      )}
      {!checked && <p className="wizard-muted">{t('wizard.notRun')}</p>}
      {checked && step.items.map((item) => {
        const result = results.get(item.id);
        const action = lastAction(saved, step.id, item.id);
        // Once acted on, the action stays with its output and outcome, and can run again.
        const offered = item.fix && (result?.status !== 'pass' || ALWAYS_ACTIONABLE.has(item.id) || action !== null);
        return (
          <div key={item.id} className="wizard-block">
            {result && (
              <ul className="wizard-rows">
                <ResultRow item={item} result={result} host={host} language={language} />
              </ul>
            )}
            {extras(item, result)}
            {!item.fix && action && <ActionProgressLine action={action} language={language} />}
            {offered && <ItemAction host={host} item={item} request={request(item)} action={action} output={outputs[actionKey(host.id, step.id, item.id)]} language={language} />}
          </div>
        );
      })}
    </section>
  );
}

/** An action without a fix of its own (Step 5's upload): how far it got, and how it ended. */
function ActionProgressLine({ action, language }: { action: ActionRecord; language: Language }) {
  const { t } = useTranslation();
  return (
    <>
      {action.state === 'running' && action.progress && (
        <div className="wizard-upload__progress">
          <progress max={1} value={action.progress.fraction} aria-label={t('wizard.dataset.progress')} />
          <span className="wizard-muted">{action.progress.lines[0]}</span>
        </div>
      )}
      {action.state === 'refused' && action.errors.map((error, index) => (
        <p key={index} className="form__error" role="alert">
          {error.message[language]}
        </p>
      ))}
      <ActionState action={action} language={language} />
    </>
  );
}
