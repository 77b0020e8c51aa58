import { useTranslation } from 'react-i18next';
import type { ActionRecord } from '../../../../shared/guide/wizardApi';
import type { Language } from '../../../../shared/settings/settings';

/**
 * How an action ended (or that it runs), with the reason when it did not succeed. A refusal is not
 * shown here: its reasons stand under the fields, from the preview asked again after it.
 */
export function ActionState({ action, language }: { action: ActionRecord; language: Language }) {
  const { t } = useTranslation();
  if (action.state === 'done' || action.state === 'refused') return null;
  const bad = action.state === 'failed' || action.state === 'interrupted';
  return (
    <p className={bad ? 'wizard-action wizard-action--bad' : 'wizard-action'} role={bad ? 'alert' : 'status'}>
      {t(`wizard.container.state.${action.state}`)}
      {action.failure && ` ${action.failure[language]}`}
    </p>
  );
}
