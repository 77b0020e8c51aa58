import { useTranslation } from 'react-i18next';
import { PARAM_LABELS } from '../../../../shared/guide/guideParams';
import type { GuideParams, ParamId } from '../../../../shared/guide/guideParams';
import type { LocalizedText } from '../../../../shared/i18n/localizedText';
import type { Language } from '../../../../shared/settings/settings';
import { TextField } from '../../components/TextField';

const FIELDS: readonly ParamId[] = ['workDir', 'containerWorkDir', 'containerName', 'image'];

interface ParamsFormProps {
  answers: GuideParams;
  errors: Partial<Record<ParamId, LocalizedText>>;
  language: Language;
  onChange(id: ParamId, value: string): void;
}

export function ParamsForm({ answers, errors, language, onChange }: ParamsFormProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="wizard-fieldset">
      <legend>{t('wizard.paramsLegend')}</legend>
      <p className="wizard-muted">{t('wizard.paramsHint')}</p>
      <div className="wizard-params">
        {FIELDS.map((id) => (
          <TextField
            key={id}
            className={id === 'image' ? 'wizard-params__wide' : undefined}
            label={PARAM_LABELS[id][language]}
            value={answers[id]}
            error={errors[id]?.[language] ?? null}
            onChange={(event) => onChange(id, event.target.value)}
          />
        ))}
      </div>
    </fieldset>
  );
}
