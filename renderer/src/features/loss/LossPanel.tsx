import { useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import type { LossXAxis } from '../../store/lossSlice';
import { useUpdateSettings } from '../shell/useSettingsSync';
import { LossCharts } from './LossCharts';
import { openLogFiles } from './logFiles';
import { RunCard } from './RunCard';
import { MAX_SMOOTHING } from './smoothing';

const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

export function LossPanel() {
  const { t } = useTranslation();
  const updateSettings = useUpdateSettings();
  const runs = useAppStore((state) => state.lossRuns);
  const recent = useAppStore((state) => state.recentLogFiles);
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  const onDrop = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    openLogFiles(event.dataTransfer.files);
  };

  return (
    <aside
      className="loss-panel"
      aria-label={t('loss.title')}
      data-dragging={dragging || undefined}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="loss-panel__header">
        <h2 className="panel-title">{t('loss.title')}</h2>
        <button type="button" className="icon-button" aria-label={t('loss.close')} title={t('loss.close')} onClick={() => updateSettings({ sidePanel: { open: false } })}>
          <Icon name="close" />
        </button>
      </header>
      <div className="loss-panel__open">
        <button type="button" className="button button--small" onClick={() => inputRef.current?.click()}>
          {t('loss.open')}
        </button>
        <input
          ref={inputRef}
          type="file"
          multiple
          hidden
          aria-label={t('loss.files')}
          onChange={(event) => {
            openLogFiles(event.currentTarget.files ?? []);
            // Choosing the same file again must fire change again.
            event.currentTarget.value = '';
          }}
        />
      </div>
      {dragging && <p className="loss-panel__drop">{t('loss.dropHere')}</p>}
      {runs.length === 0 ? (
        <EmptyState icon={<Icon name="loss" size={40} />} title={t('loss.emptyTitle')}>
          {t('loss.emptyBody')} {t('loss.dropHint')}
        </EmptyState>
      ) : (
        <>
          <ul className="run-list" aria-label={t('loss.runs')}>
            {runs.map((run) => (
              <RunCard key={run.id} run={run} />
            ))}
          </ul>
          <ViewControls />
          <LossCharts />
        </>
      )}
      {recent.length > 0 && (
        <details className="loss-panel__recent">
          <summary>{t('loss.recent')}</summary>
          <ul>
            {recent.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </details>
      )}
    </aside>
  );
}

function ViewControls() {
  const { t } = useTranslation();
  const view = useAppStore((state) => state.lossView);
  const change = useAppStore((state) => state.lossViewChanged);
  const toggles = [
    ['learningRate', 'learning_rate'],
    ['gradNorm', 'grad_norm'],
    ['evalLoss', 'eval_loss'],
  ] as const;
  return (
    <fieldset className="loss-view">
      <legend className="visually-hidden">{t('loss.view')}</legend>
      <label className="loss-view__smoothing">
        <span>{t('loss.smoothing')}</span>
        <input type="range" min={0} max={MAX_SMOOTHING} step={0.001} value={view.smoothing} onChange={(event) => change({ smoothing: event.currentTarget.valueAsNumber })} />
        <output>{view.smoothing.toFixed(3)}</output>
      </label>
      <label>
        <span>{t('loss.xAxis')}</span>
        <select value={view.xAxis} onChange={(event) => change({ xAxis: event.currentTarget.value as LossXAxis })}>
          <option value="step">{t('loss.step')}</option>
          <option value="epoch">{t('loss.epoch')}</option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={view.logY} onChange={() => change({ logY: !view.logY })} />
        {t('loss.logY')}
      </label>
      {toggles.map(([key, metric]) => (
        <label key={key}>
          <input type="checkbox" checked={view[key]} onChange={() => change({ [key]: !view[key] })} />
          {t(`loss.metric.${metric}`)}
        </label>
      ))}
    </fieldset>
  );
}
