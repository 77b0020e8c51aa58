import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SampleFilter } from '../../../../../shared/dataset/workspaceApi';

type Status = 'all' | 'unreviewed' | 'reviewed' | 'problems' | 'clean';

function statusOf(filter: SampleFilter): Status {
  if (filter.reviewed === false) return 'unreviewed';
  if (filter.reviewed === true) return 'reviewed';
  if (filter.problems === true) return 'problems';
  if (filter.problems === false) return 'clean';
  return 'all';
}

const STATUS_FILTER: Record<Status, SampleFilter> = { all: {}, unreviewed: { reviewed: false }, reviewed: { reviewed: true }, problems: { problems: true }, clean: { problems: false } };
/** Typing in the search box asks for a new list when the typing pauses. */
const SEARCH_PAUSE_MS = 300;

interface SampleFiltersProps {
  filter: SampleFilter;
  labels: readonly { label: string; count: number }[];
  /** Samples the filter keeps, and in all; null while counting. */
  shown: number | null;
  total: number;
  onChange(filter: SampleFilter): void;
}

/** Which samples the list shows: by review and problems, by label, by text. */
export function SampleFilters({ filter, labels, shown, total, onChange }: SampleFiltersProps) {
  const { t } = useTranslation();
  const statusId = useId();
  const labelId = useId();
  const [text, setText] = useState(filter.text ?? '');

  useEffect(() => {
    if ((filter.text ?? '') === text) return;
    const timer = setTimeout(() => onChange({ ...filter, text: text || undefined }), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, filter, onChange]);

  const withoutStatus = { label: filter.label, text: filter.text };
  return (
    <div className="sample-filters" role="search" aria-label={t('dataset.filters.title')}>
      <input className="field__input" type="search" aria-label={t('dataset.filters.search')} placeholder={t('dataset.filters.search')} value={text} onChange={(event) => setText(event.target.value)} />
      <div className="sample-filters__row">
        <label className="visually-hidden" htmlFor={statusId}>
          {t('dataset.filters.status')}
        </label>
        <select id={statusId} value={statusOf(filter)} onChange={(event) => onChange({ ...withoutStatus, ...STATUS_FILTER[event.target.value as Status] })}>
          {(Object.keys(STATUS_FILTER) as Status[]).map((status) => (
            <option key={status} value={status}>
              {t(`dataset.filters.statuses.${status}`)}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor={labelId}>
          {t('dataset.filters.label')}
        </label>
        <select id={labelId} value={filter.label ?? ''} onChange={(event) => onChange({ ...filter, label: event.target.value || undefined })}>
          <option value="">{t('dataset.filters.anyLabel')}</option>
          {labels.map(({ label, count }) => (
            <option key={label} value={label}>
              {label} ({count})
            </option>
          ))}
        </select>
      </div>
      <p className="sample-filters__count" aria-live="polite">
        {shown === null ? t('dataset.filters.counting') : shown === total ? t('dataset.filters.all', { count: total }) : t('dataset.filters.some', { shown, total })}
      </p>
    </div>
  );
}
