import { useId } from 'react';
import { useTranslation } from 'react-i18next';

interface PathFieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  /** Shows the file browser in place of the form. */
  onBrowse(): void;
  hint?: string;
  required?: boolean;
}

/** A path typed or chosen with the file browser. */
export function PathField({ label, value, onChange, onBrowse, hint, required }: PathFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="path-field">
        <input id={id} className="field__input" value={value} onChange={(event) => onChange(event.target.value)} spellCheck={false} required={required} aria-describedby={hint ? `${id}-hint` : undefined} />
        <button type="button" className="button button--quiet button--small" aria-label={t('dataset.files.browseFor', { field: label })} onClick={onBrowse}>
          {t('dataset.files.browse')}
        </button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
