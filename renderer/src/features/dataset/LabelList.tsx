import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/icons';
import type { CanvasLabel } from './canvas/labelPalette';
import './dataset.css';

interface LabelListProps {
  /** In digit-key order, with their palette colours (labelsWithColors). */
  labels: readonly CanvasLabel[];
  /** The label new boxes get. */
  current: string | null;
  onPick(name: string): void;
  onAdd(name: string): void;
  /** `to` may be a label already in the list: the two are merged. */
  onRename(from: string, to: string): void;
}

/** The labels (the `<ref>` names boxes ground): colour, digit key, pick, rename, add. */
export function LabelList({ labels, current, onPick, onAdd, onRename }: LabelListProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const [draft, setDraft] = useState('');
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refusal = (name: string): string | null => {
    if (name === '') return t('dataset.labels.blank');
    // The brackets would be read as the conversation's tags.
    if (/[<>]/.test(name)) return t('dataset.labels.angleBrackets');
    return null;
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    const name = draft.trim();
    const refused = refusal(name) ?? (labels.some((label) => label.name === name) ? t('dataset.labels.duplicate', { label: name }) : null);
    setProblem(refused);
    if (refused) return;
    onAdd(name);
    setDraft('');
  };

  const rename = (event: FormEvent) => {
    event.preventDefault();
    if (!renaming) return;
    const name = renaming.to.trim();
    const refused = refusal(name);
    setProblem(refused);
    if (refused) return;
    if (name !== renaming.from) onRename(renaming.from, name);
    setRenaming(null);
  };

  return (
    <section className="label-list" aria-labelledby={titleId}>
      <h3 id={titleId} className="label-list__title">
        {t('dataset.labels.title')}
      </h3>
      <p className="label-list__hint">{labels.length === 0 ? t('dataset.labels.empty') : t('dataset.labels.hint')}</p>
      <ul className="label-list__items">
        {labels.map((label, index) => (
          <li key={label.name} className="label-list__item">
            {renaming?.from === label.name ? (
              <form className="label-list__rename" onSubmit={rename}>
                <input
                  className="label-list__input"
                  aria-label={t('dataset.labels.renameField', { label: label.name })}
                  value={renaming.to}
                  onChange={(event) => setRenaming({ from: label.name, to: event.target.value })}
                  onKeyDown={(event) => {
                    if (event.key === 'Escape') setRenaming(null);
                  }}
                  autoFocus
                />
                <button type="submit" className="button button--small">
                  {t('dataset.labels.save')}
                </button>
                <button type="button" className="button button--quiet button--small" onClick={() => setRenaming(null)}>
                  {t('dataset.labels.cancel')}
                </button>
              </form>
            ) : (
              <>
                <button
                  type="button"
                  className="label-list__pick"
                  aria-pressed={current === label.name}
                  aria-label={t('dataset.labels.use', { label: label.name })}
                  onClick={() => onPick(label.name)}
                >
                  <span className="label-list__swatch" style={{ background: label.color }} aria-hidden="true" />
                  <span className="label-list__name">{label.name}</span>
                  {index < 9 && <kbd aria-hidden="true">{index + 1}</kbd>}
                </button>
                <button
                  type="button"
                  className="icon-button label-list__edit"
                  aria-label={t('dataset.labels.rename', { label: label.name })}
                  title={t('dataset.labels.rename', { label: label.name })}
                  onClick={() => {
                    setProblem(null);
                    setRenaming({ from: label.name, to: label.name });
                  }}
                >
                  <Icon name="edit" size={16} />
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <form className="label-list__add" onSubmit={add}>
        <input className="label-list__input" aria-label={t('dataset.labels.newLabel')} placeholder={t('dataset.labels.newLabel')} value={draft} onChange={(event) => setDraft(event.target.value)} />
        <button type="submit" className="button button--small">
          {t('dataset.labels.add')}
        </button>
      </form>
      {problem && (
        <p className="label-list__problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
