import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SAMPLE_TEMPLATES } from '../../../../../shared/dataset/templates';

/** The picker's value for "write my own prompt". */
export const CUSTOM_TEMPLATE = 'custom';

export interface TemplateChoice {
  /** A template id from SAMPLE_TEMPLATES, or CUSTOM_TEMPLATE. */
  id: string;
  /** The user's own prompt, used when id is CUSTOM_TEMPLATE. */
  prompt: string;
}

interface TemplatePickerProps {
  value: TemplateChoice;
  language: 'en' | 'zh';
  /** The template panel has its own heading, so its label is for screen readers only. */
  hideLabel?: boolean;
  onChange(value: TemplateChoice): void;
}

/** The built-in templates plus a custom prompt: one picker for the template panel and the import dialog. */
export function TemplatePicker({ value, language, hideLabel = false, onChange }: TemplatePickerProps) {
  const { t } = useTranslation();
  const selectId = useId();
  return (
    <>
      <div className="field">
        <label className={hideLabel ? 'visually-hidden' : 'field__label'} htmlFor={selectId}>
          {t('dataset.templates.template')}
        </label>
        <select id={selectId} value={value.id} onChange={(event) => onChange({ ...value, id: event.target.value })}>
          {SAMPLE_TEMPLATES.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.name[language]} — {entry.prompt}
            </option>
          ))}
          <option value={CUSTOM_TEMPLATE}>{t('dataset.templates.custom')}</option>
        </select>
      </div>
      {value.id === CUSTOM_TEMPLATE && (
        <label className="field">
          <span className="field__label">{t('dataset.templates.prompt')}</span>
          <input className="field__input" value={value.prompt} onChange={(event) => onChange({ ...value, prompt: event.target.value })} placeholder={t('dataset.templates.promptPlaceholder')} />
        </label>
      )}
    </>
  );
}
