import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import type { LossXAxis, SmoothingKind } from '../../store/lossSlice';
import { runColumns } from './runData';
import { MAX_MEAN_WINDOW, MAX_SMOOTHING } from './smoothing';

const TOGGLES = [
  ['learningRate', 'learning_rate'],
  ['gradNorm', 'grad_norm'],
  ['evalLoss', 'eval_loss'],
  ['throughput', 'throughput'],
] as const;

export function ViewControls() {
  const { t } = useTranslation();
  const view = useAppStore((state) => state.lossView);
  const change = useAppStore((state) => state.lossViewChanged);
  // Re-rendered as points arrive (the run cards count them), so a live run's first time shows up here.
  const runs = useAppStore((state) => state.lossRuns);
  const hasTime = runs.some((run) => run.visible && runColumns.get(run.id)?.time);
  return (
    <fieldset className="loss-view">
      <legend className="visually-hidden">{t('loss.view')}</legend>
      <label>
        <span>{t('loss.smoothingKind')}</span>
        <select value={view.smoothingKind} onChange={(event) => change({ smoothingKind: event.currentTarget.value as SmoothingKind })}>
          <option value="ema">{t('loss.ema')}</option>
          <option value="mean">{t('loss.mean')}</option>
        </select>
      </label>
      {view.smoothingKind === 'ema' ? (
        <label className="loss-view__smoothing">
          <span>{t('loss.smoothing')}</span>
          <input type="range" min={0} max={MAX_SMOOTHING} step={0.001} value={view.smoothing} onChange={(event) => change({ smoothing: event.currentTarget.valueAsNumber })} />
          <output>{view.smoothing.toFixed(3)}</output>
        </label>
      ) : (
        <label className="loss-view__smoothing">
          <span>{t('loss.meanWindow')}</span>
          <input type="range" min={1} max={MAX_MEAN_WINDOW} step={1} value={view.meanWindow} onChange={(event) => change({ meanWindow: event.currentTarget.valueAsNumber })} />
          <output>{view.meanWindow}</output>
        </label>
      )}
      <label title={hasTime ? undefined : t('loss.timeUnavailable')}>
        <span>{t('loss.xAxis')}</span>
        <select value={view.xAxis} onChange={(event) => change({ xAxis: event.currentTarget.value as LossXAxis })}>
          <option value="step">{t('loss.step')}</option>
          <option value="epoch">{t('loss.epoch')}</option>
          <option value="time" disabled={!hasTime && view.xAxis !== 'time'}>
            {t('loss.time')}
          </option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={view.logY} onChange={() => change({ logY: !view.logY })} />
        {t('loss.logY')}
      </label>
      {TOGGLES.map(([key, metric]) => (
        <label key={key}>
          <input type="checkbox" checked={view[key]} onChange={() => change({ [key]: !view[key] })} />
          {t(`loss.metric.${metric}`)}
        </label>
      ))}
    </fieldset>
  );
}
