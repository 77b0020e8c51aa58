import { useTranslation } from 'react-i18next';
import { PARAM_LABELS } from '../../../../shared/guide/guideParams';
import type { ActionRecord, ActionRequest, ItemResult } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { LocalizedText } from '../../../../shared/i18n/localizedText';
import type { Language } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { TextField } from '../../components/TextField';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { ActionState } from './ActionState';
import { ResultRow } from './HostResults';
import { PullProgress } from './PullProgress';
import { useActionPreview } from './useActionPreview';
import type { GuideItemView } from './wizardState';

interface ImagePullProps {
  host: HostProfile;
  item: GuideItemView;
  result: ItemResult | undefined;
  action: ActionRecord | null;
  image: string;
  imageError: LocalizedText | null;
  /** Null while the image field breaks its rule. */
  request: ActionRequest | null;
  language: Language;
  onImageChange(image: string): void;
}

/** The base image: on the server already, or pulled with a bar per layer and one in total. */
export function ImagePull({ host, item, result, action, image, imageError, request, language, onImageChange }: ImagePullProps) {
  const api = useApi();
  const { t } = useTranslation();
  const task = useAsyncTask();
  const running = action?.state === 'running';
  const present = result?.status === 'pass';
  const { preview, error: previewError } = useActionPreview(present || running ? null : request, action?.finishedAt ?? 0);
  const refusal = preview?.errors[0]?.message[language];
  const label = item.fix?.label?.[language] ?? t('wizard.fix');

  const pull = () =>
    task.run(async () => {
      if (request) await api.guide.runAction(request);
    });

  return (
    <div className="wizard-block">
      {result ? (
        <ul className="wizard-rows">
          <ResultRow item={item} result={result} host={host} language={language} />
        </ul>
      ) : (
        <>
          <h4 className="wizard-block__title">{item.title[language]}</h4>
          <p className="wizard-muted">{t('wizard.notRun')}</p>
        </>
      )}
      {!present && (
        <>
          <TextField label={PARAM_LABELS.image[language]} value={image} error={imageError?.[language] ?? null} disabled={running} onChange={(event) => onImageChange(event.target.value)} />
          {item.fix && <p className="wizard-muted">{item.fix.explanation[language]}</p>}
          {preview && preview.commands.length > 0 && (
            <pre className="wizard-pre wizard-pre--wrap" aria-label={t('wizard.container.pullCommand', { host: host.name })}>
              {preview.commands.join('\n')}
            </pre>
          )}
        </>
      )}
      {action?.progress && (running || action.state !== 'done' || !present) && <PullProgress progress={action.progress} hostName={host.name} language={language} />}
      {action && <ActionState action={action} language={language} />}
      {(refusal ?? previewError ?? task.error) && (
        <p className="form__error" role="alert">
          {refusal ?? previewError ?? task.error}
        </p>
      )}
      {!present && (
        <div className="wizard-toolbar">
          {running ? (
            <button type="button" className="button button--quiet" onClick={() => void api.guide.cancelAction({ hostId: host.id, stepId: action.stepId, itemId: action.itemId })}>
              {t('wizard.container.cancelPull', { host: host.name })}
            </button>
          ) : (
            <button type="button" className="button" disabled={!preview || preview.errors.length > 0 || task.busy} onClick={() => void pull()}>
              {label}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
