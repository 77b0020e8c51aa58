import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActionPreview, ActionRecord, ActionRequest } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { ActionState } from './ActionState';
import { FileChanges } from './FileChanges';
import type { ActionOutput } from './guideProgress';
import { PullProgress } from './PullProgress';
import type { GuideItemView } from './wizardState';
import { ErrorLine } from '../../components/ErrorLine';

interface ItemActionProps {
  host: HostProfile;
  item: GuideItemView;
  /** Null while the form it needs is invalid. */
  request: ActionRequest | null;
  action: ActionRecord | null;
  output: ActionOutput | undefined;
  language: Language;
}

/**
 * An item's action on one host: the exact commands (read from the server just now) and what
 * refuses them, then the run with each command's output streamed under it.
 */
export function ItemAction({ host, item, request, action, output, language }: ItemActionProps) {
  const api = useApi();
  const { t } = useTranslation();
  const [preview, setPreview] = useState<ActionPreview | null>(null);
  const task = useAsyncTask();
  const running = action?.state === 'running';
  const label = item.fix?.label?.[language] ?? t('wizard.fix');
  const title = item.title[language];

  const ask = () =>
    task.run(async () => {
      if (request) setPreview(await api.guide.previewAction(request));
    });
  const run = (shown: ActionPreview) =>
    task.run(async () => {
      if (!request) return;
      setPreview(null);
      // Exactly what was shown: if the server changed meanwhile (the script edited by hand), main refuses and says why.
      const outcome = await api.guide.runAction({ ...request, confirmed: shown.commands });
      if (outcome.state === 'refused') setPreview({ commands: [], confirm: false, errors: outcome.errors });
    });
  const changed = preview?.changes?.some((change) => change.hunks.length > 0) ?? false;
  const commandList = preview && <pre className="wizard-pre wizard-pre--wrap">{preview.commands.join('\n')}</pre>;

  return (
    <div className="wizard-action-box">
      <div className="wizard-toolbar">
        <button type="button" className="button button--small" disabled={!request || running || task.busy} aria-label={t('wizard.later.actionLabel', { action: label, host: host.name })} onClick={() => void ask()}>
          {running ? t('wizard.later.running') : label}
        </button>
        {running && request && (
          <button type="button" className="button button--quiet button--small" onClick={() => void api.guide.cancelAction(request)}>
            {t('wizard.cancel')}
          </button>
        )}
      </div>
      {preview && (
        <div className="wizard-command" role="group" aria-label={t('wizard.later.previewOf', { item: title, host: host.name })}>
          {preview.errors.map((error, index) => (
            <p key={index} className="form__error" role="alert">
              {error.message[language]}
            </p>
          ))}
          {preview.errors.length === 0 && preview.commands.length === 0 && <p className="wizard-muted">{t('wizard.later.nothingToDo')}</p>}
          {preview.changes && <FileChanges changes={preview.changes} host={host} />}
          {preview.commands.length > 0 && (
            <>
              {changed ? (
                // The commands carry each file's whole text: the diff above is what to read.
                <details>
                  <summary>{t('wizard.changes.commands', { host: host.name })}</summary>
                  {commandList}
                </details>
              ) : (
                <>
                  <h5>{t('wizard.fixCommands', { host: host.name })}</h5>
                  {commandList}
                </>
              )}
              {preview.confirm && <p className="wizard-warning">{t('wizard.fixConfirmNote')}</p>}
              <div className="wizard-toolbar">
                <button type="button" className="button" disabled={task.busy} onClick={() => void run(preview)}>
                  {t('wizard.fixRun', { host: host.name })}
                </button>
                <button type="button" className="button button--quiet" onClick={() => setPreview(null)}>
                  {t('wizard.cancel')}
                </button>
              </div>
            </>
          )}
        </div>
      )}
      <ErrorLine error={task.error} />
      {action && <ActionState action={action} language={language} />}
      {action?.progress && <PullProgress progress={action.progress} hostName={host.name} language={language} names={{ total: t('wizard.later.progressOf', { item: title, host: host.name }), parts: t('wizard.later.progressParts'), part: (id) => id }} />}
      {output && output.text !== '' && (
        <pre className="wizard-pre wizard-pre--wrap" aria-label={t('wizard.later.output', { item: title, host: host.name })}>
          {output.text}
        </pre>
      )}
    </div>
  );
}
