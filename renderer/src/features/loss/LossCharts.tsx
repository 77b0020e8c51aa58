import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import type { LossRun, LossView } from '../../store/lossSlice';
import { downloadBlob, runsToCsv } from './exportRuns';
import { LossChartController } from './lossChartController';
import type { ChartRun, ChartView } from './lossChartController';
import { runColumns } from './runData';
import type { ChartMetric } from './runData';

function chartMetrics(view: LossView): ChartMetric[] {
  const metrics: ChartMetric[] = ['loss'];
  if (view.learningRate) metrics.push('learning_rate');
  if (view.gradNorm) metrics.push('grad_norm');
  if (view.evalLoss) metrics.push('eval_loss');
  return metrics;
}

/** Parsed, visible runs with their columns (which never enter the store). */
function chartRuns(runs: readonly LossRun[]): ChartRun[] {
  return runs.flatMap((run) => {
    const columns = runColumns.get(run.id);
    return run.visible && columns ? [{ id: run.id, name: run.name, colorIndex: run.colorIndex, columns }] : [];
  });
}

export function LossCharts() {
  const { t } = useTranslation();
  const runs = useAppStore((state) => state.lossRuns);
  const view = useAppStore((state) => state.lossView);
  const hostRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<LossChartController | null>(null);
  const visible = useMemo(() => chartRuns(runs), [runs]);
  const labels = useMemo<ChartView['labels']>(
    () => ({
      x: t(`loss.${view.xAxis}`),
      smoothed: t('loss.smoothed'),
      metric: { loss: t('loss.metric.loss'), learning_rate: t('loss.metric.learning_rate'), grad_norm: t('loss.metric.grad_norm'), eval_loss: t('loss.metric.eval_loss') },
    }),
    [t, view.xAxis],
  );

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const controller = new LossChartController(host);
    controllerRef.current = controller;
    return () => {
      controller.destroy();
      controllerRef.current = null;
    };
  }, []);

  useEffect(() => {
    controllerRef.current?.update(visible, { xAxis: view.xAxis, logY: view.logY, smoothing: view.smoothing, metrics: chartMetrics(view), labels });
  }, [visible, view, labels]);

  const exportCsv = () => {
    const csv = runsToCsv(runs.flatMap((run) => (runColumns.has(run.id) ? [{ name: run.name, columns: runColumns.get(run.id) ?? {} }] : [])));
    downloadBlob(new Blob([csv], { type: 'text/csv' }), 'training-logs.csv');
  };
  const exportPng = async () => {
    const blob = await controllerRef.current?.toPng();
    if (blob) downloadBlob(blob, 'loss.png');
  };
  const nothingToChart = visible.length > 0 && !visible.some((run) => (view.xAxis === 'epoch' ? run.columns.loss?.epoch.some((epoch) => !Number.isNaN(epoch)) : run.columns.loss));

  return (
    <section className="loss-charts" aria-label={t('loss.metric.loss')}>
      <div className="loss-charts__actions">
        <button type="button" className="button button--quiet button--small" onClick={exportCsv} disabled={visible.length === 0}>
          {t('loss.exportCsv')}
        </button>
        <button type="button" className="button button--quiet button--small" onClick={() => void exportPng()} disabled={visible.length === 0}>
          {t('loss.exportPng')}
        </button>
      </div>
      <div ref={hostRef} className="loss-charts__host" />
      {nothingToChart && <p className="loss-panel__hint">{t('loss.noChart')}</p>}
      {visible.length > 0 && <p className="loss-panel__hint">{t('loss.markersHint')}</p>}
    </section>
  );
}
