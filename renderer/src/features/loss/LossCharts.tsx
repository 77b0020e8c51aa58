import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import type { LossRun, LossView } from '../../store/lossSlice';
import { downloadBlob, runsToCsv } from './exportRuns';
import { LossChartController } from './lossChartController';
import type { ChartRun, ChartView } from './lossChartController';
import { onRunColumns, runColumns } from './runData';
import type { ChartMetric } from './runData';

function chartMetrics(view: LossView): ChartMetric[] {
  const metrics: ChartMetric[] = ['loss'];
  if (view.learningRate) metrics.push('learning_rate');
  if (view.gradNorm) metrics.push('grad_norm');
  if (view.evalLoss) metrics.push('eval_loss');
  if (view.throughput) metrics.push('throughput');
  return metrics;
}

/** Visible runs with their columns (which never enter the store), as they are now. */
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
  const labels = useMemo<ChartView['labels']>(
    () => ({
      x: t(`loss.${view.xAxis}`),
      smoothed: t('loss.smoothed'),
      metric: { loss: t('loss.metric.loss'), learning_rate: t('loss.metric.learning_rate'), grad_norm: t('loss.metric.grad_norm'), eval_loss: t('loss.metric.eval_loss'), throughput: t('loss.metric.throughput') },
    }),
    [t, view.xAxis],
  );
  const chartView = useMemo<ChartView>(
    () => ({
      xAxis: view.xAxis,
      logY: view.logY,
      smoothing: view.smoothingKind === 'ema' ? { kind: 'ema', weight: view.smoothing } : { kind: 'mean', window: view.meanWindow },
      metrics: chartMetrics(view),
      labels,
    }),
    [view, labels],
  );
  // What the data listener below draws with: the latest runs and view, not those of its first render.
  const latest = useRef({ runs, chartView });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const controller = new LossChartController(host);
    controllerRef.current = controller;
    // A remote run's new points go into the charts without React. Each update costs time in
    // proportion to the points shown, so while a big log streams in they are taken at most every
    // few update-durations: the page stays responsive, and a small live run still updates at once.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cost = 0;
    let last = 0;
    const refresh = () => {
      timer = undefined;
      const started = performance.now();
      controller.update(chartRuns(latest.current.runs), latest.current.chartView);
      last = performance.now();
      cost = last - started;
    };
    const unsubscribe = onRunColumns(() => {
      if (timer !== undefined) return;
      const wait = last + cost * 4 - performance.now();
      if (wait <= 0) refresh();
      else timer = setTimeout(refresh, wait);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
      controller.destroy();
      controllerRef.current = null;
    };
  }, []);

  // The runs as the charts see them: a point count or progress changing is not a reason to redraw
  // here (new points come through onRunColumns, throttled).
  const shown = runs.map((run) => `${run.id}:${run.visible}:${run.colorIndex}:${run.name}`).join('\n');
  useEffect(() => {
    latest.current = { runs, chartView };
  });
  useEffect(() => {
    controllerRef.current?.update(chartRuns(latest.current.runs), chartView);
  }, [shown, chartView]);

  const exportCsv = () => {
    const csv = runsToCsv(runs.flatMap((run) => (runColumns.has(run.id) ? [{ name: run.name, columns: runColumns.get(run.id)?.metrics ?? {} }] : [])));
    downloadBlob(new Blob([csv], { type: 'text/csv' }), 'training-logs.csv');
  };
  const exportPng = async () => {
    const blob = await controllerRef.current?.toPng();
    if (blob) downloadBlob(blob, 'loss.png');
  };
  const visible = chartRuns(runs);
  const onAxis = (run: ChartRun) => {
    const loss = run.columns.metrics.loss;
    const x = view.xAxis === 'epoch' ? loss?.epoch : view.xAxis === 'time' ? loss?.time : loss?.step;
    return x?.some((value) => !Number.isNaN(value)) ?? false;
  };
  const nothingToChart = visible.length > 0 && !visible.some(onAxis);

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
