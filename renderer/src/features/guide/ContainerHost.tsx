import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActionRequest, HostProgress, ItemResult } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { useAppStore } from '../../store/appStore';
import { DEFAULT_CONTAINER_USER } from '../../store/selectors/terminalSelectors';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { ActionState } from './ActionState';
import { formErrors, paramError, usableAnswers } from './containerForm';
import type { ContainerAnswers } from './containerForm';
import { actionKey, lastAction } from './guideProgress';
import type { ActionOutput } from './guideProgress';
import { ResultRow } from './HostResults';
import { ImagePull } from './ImagePull';
import { RunForm } from './RunForm';
import { useActionPreview } from './useActionPreview';
import type { GuideItemView, GuideStepView } from './wizardState';

interface ContainerHostProps {
  host: HostProfile;
  step: GuideStepView;
  saved: HostProgress;
  /** This host's form as the user left it. */
  answers: ContainerAnswers;
  /** Step 1's answers and the guide's container options: valid, and where a new host starts. */
  fallback: ContainerAnswers;
  outputs: Readonly<Record<string, ActionOutput>>;
  /** The step's check is running on this host. */
  checking: boolean;
  language: Language;
  onAnswers(answers: ContainerAnswers): void;
}

/** Step 2 on one host: the image, the container's form with its exact command, and the verification. */
export function ContainerHost({ host, step, saved, answers, fallback, outputs, checking, language, onAnswers }: ContainerHostProps) {
  const api = useApi();
  const { t } = useTranslation();
  const terminalRequested = useAppStore((state) => state.terminalRequested);
  const [startedName, setStartedName] = useState<string | null>(null);
  const start = useAsyncTask();
  const items = new Map(step.items.map((item) => [item.id, item]));
  const results = new Map((saved.steps[step.id]?.items ?? []).map((result) => [result.id, result]));
  const imageItem = items.get('image');
  const containerItem = items.get('container');
  const npuItem = items.get('container-npu');
  const imageAction = lastAction(saved, step.id, 'image');
  const containerAction = lastAction(saved, step.id, 'container');
  const starting = containerAction?.state === 'running';
  const running = results.get('container')?.status === 'pass';
  const imageMissing = results.get('image')?.status === 'fail';

  const request = (itemId: string, chosen: ContainerAnswers): ActionRequest => ({ hostId: host.id, stepId: step.id, itemId, ...chosen });
  const imageError = paramError('image', answers.params.image);
  const pullRequest = imageError ? null : request('image', usableAnswers(answers, fallback));
  const localErrors = formErrors(answers);
  const startRequest = localErrors.length > 0 ? null : request('container', answers);
  // Asked again once an action changed the server: a started container holds its cards.
  const { preview, error: previewError } = useActionPreview(starting ? null : startRequest, Math.max(containerAction?.finishedAt ?? 0, imageAction?.finishedAt ?? 0));
  const errors = localErrors.length > 0 ? localErrors : (preview?.errors ?? []);
  const output = outputs[actionKey(host.id, step.id, 'container')];
  const shellContainer = startedName ?? saved.params?.containerName ?? null;

  const startContainer = () =>
    start.run(async () => {
      if (!startRequest) return;
      setStartedName(startRequest.params.containerName);
      await api.guide.runAction(startRequest);
    });

  const form = (
    <>
      <RunForm answers={answers} errors={errors} disabled={starting} language={language} onChange={onAnswers} />
      <div className="wizard-command">
        <h5>{t('wizard.container.commandTitle')}</h5>
        {preview && preview.commands.length > 0 ? (
          <pre className="wizard-pre" aria-label={t('wizard.container.command', { host: host.name })}>
            {preview.commands.join('\n')}
          </pre>
        ) : (
          <p className="wizard-muted">{startRequest === null || (preview && preview.errors.length > 0) ? t('wizard.container.previewInvalid') : t('wizard.container.previewPending', { host: host.name })}</p>
        )}
        {containerItem?.fix?.confirm && preview && preview.commands.length > 0 && <p className="wizard-warning">{t('wizard.container.startNote')}</p>}
      </div>
      {imageMissing && <p className="wizard-muted">{t('wizard.container.pullFirst')}</p>}
      {(previewError ?? start.error) && (
        <p className="form__error" role="alert">
          {previewError ?? start.error}
        </p>
      )}
      <div className="wizard-toolbar">
        <button type="button" className="button" disabled={!preview || preview.commands.length === 0 || starting || start.busy || imageMissing} onClick={() => void startContainer()}>
          {starting ? t('wizard.container.starting') : (containerItem?.fix?.label?.[language] ?? t('wizard.fix'))}
        </button>
      </div>
    </>
  );

  return (
    <section className="wizard-host wizard-container-host" aria-label={t('wizard.container.hostRegion', { host: host.name })} aria-busy={checking}>
      <header className="wizard-host__header">
        <h3>{host.name}</h3>
        {saved.steps[step.id] && <span className="wizard-muted">{t('wizard.checkedAt', { time: new Date(saved.steps[step.id]?.checkedAt ?? 0).toLocaleTimeString(language) })}</span>}
      </header>
      {saved.steps[step.id]?.error && (
        <p className="wizard-host__error" role="alert">
          {t('wizard.hostError', { message: saved.steps[step.id]?.error })}
        </p>
      )}
      {imageItem && (
        <ImagePull
          host={host}
          item={imageItem}
          result={results.get('image')}
          action={imageAction}
          image={answers.params.image}
          imageError={imageError}
          request={pullRequest}
          language={language}
          onImageChange={(image) => onAnswers({ ...answers, params: { ...answers.params, image } })}
        />
      )}
      {containerItem && (
        <div className="wizard-block">
          {running ? (
            <details className="wizard-another">
              <summary>{t('wizard.container.another')}</summary>
              {form}
            </details>
          ) : (
            form
          )}
          {containerAction && <ActionState action={containerAction} language={language} />}
          {output && output.text !== '' && (
            <pre className="wizard-pre wizard-pre--wrap" aria-label={t('wizard.container.output', { host: host.name })}>
              {output.text}
            </pre>
          )}
        </div>
      )}
      <Verification host={host} items={[containerItem, npuItem]} results={results} language={language} />
      {running && shellContainer && (
        <div className="wizard-toolbar">
          <button
            type="button"
            className="button button--quiet"
            aria-label={t('wizard.container.openShellLabel', { host: host.name, container: shellContainer })}
            onClick={() => terminalRequested({ hostId: host.id, target: { kind: 'container', container: shellContainer, user: DEFAULT_CONTAINER_USER } })}
          >
            {t('wizard.container.openShell')}
          </button>
        </div>
      )}
    </section>
  );
}

interface VerificationProps {
  host: HostProfile;
  items: readonly (GuideItemView | undefined)[];
  results: ReadonlyMap<string, ItemResult>;
  language: Language;
}

/** The container runs, and npu-smi works inside it: each with the server's own lines. */
function Verification({ host, items, results, language }: VerificationProps) {
  const { t } = useTranslation();
  const shown = items.flatMap((item) => {
    const result = item && results.get(item.id);
    return item && result ? [{ item, result }] : [];
  });
  if (shown.length === 0) return null;
  return (
    <div className="wizard-block">
      <h4 className="wizard-block__title">{t('wizard.container.verification')}</h4>
      <ul className="wizard-rows" aria-label={t('wizard.container.verificationOn', { host: host.name })}>
        {shown.map(({ item, result }) => (
          <ResultRow key={item.id} item={item} result={result} host={host} language={language} />
        ))}
      </ul>
    </div>
  );
}
