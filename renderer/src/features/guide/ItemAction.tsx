import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActionPreview, ActionRecord, ActionRequest } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { ActionState } from './ActionState';
import type { ActionOutput } from './guideProgress';
import type { GuideItemView } from './wizardState';

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
  const run = () =>
    task.run(async () => {
      if (!request) return;
      setPreview(null);
      await api.guide.runAction(request);
    });

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
          {preview.commands.length > 0 && (
            <>
              <h5>{t('wizard.fixCommands', { host: host.name })}</h5>
              <pre className="wizard-pre wizard-pre--wrap">{preview.commands.join('\n')}</pre>
              {preview.confirm && <p className="wizard-warning">{t('wizard.fixConfirmNote')}</p>}
              <div className="wizard-toolbar">
                <button type="button" className="button" disabled={task.busy} onClick={() => void run()}>
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
      {task.error && (
        <p className="form__error" role="alert">
          {task.error}
        </p>
      )}
      {action && <ActionState action={action} language={language} />}
      {output && output.text !== '' && (
        <pre className="wizard-pre wizard-pre--wrap" aria-label={t('wizard.later.output', { item: title, host: host.name })}>
          {output.text}
        </pre>
      )}
    </div>
  );
}
