// The loss panel's charts, outside React: React hands over runs and view options, the controller
// owns the uPlot instances, their sizes and the big arrays. One loss chart (raw line faint,
// smoothed line on top) and optional small charts for learning rate, grad norm, eval loss and
// throughput, with synced cursors (and, through uPlot's sync, synced drag-zoom and reset). uPlot
// draws every point — it reduces per pixel column itself, keeping each column's min and max, so a
// one-step spike stays visible at any zoom — but must never see NaN, so non-finite values become
// gaps and a tick at the top of the plot marks each one.
//
// Live runs grow: when only the data changed, the charts take it with setData (the typed arrays
// of a single run are handed over uncopied) instead of being built again, and a chart the user has
// zoomed into keeps its zoom.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignSeries, nonFiniteAt, plottable } from './chartData';
import type { Aligned, AlignedValues, Ties } from './chartData';
import type { ChartMetric, MetricColumn, RunColumns } from './runData';
import { smooth } from './smoothing';
import type { Smoothing } from './smoothing';

export type XAxis = 'step' | 'epoch' | 'time';

export interface ChartRun {
  id: string;
  name: string;
  /** Index into the --run-color-N palette of app.css. */
  colorIndex: number;
  columns: RunColumns;
}

export interface ChartView {
  xAxis: XAxis;
  logY: boolean;
  smoothing: Smoothing;
  /** The charts to show, loss first. */
  metrics: readonly ChartMetric[];
  labels: { x: string; smoothed: string; metric: Record<ChartMetric, string> };
}

/** Fired on a chart's <figure> after each draw, with the number of x values it holds. */
export const CHART_DRAWN = 'chartdrawn';

const LOSS_HEIGHT = 240;
const SMALL_HEIGHT = 120;
const MARKER_LENGTH = 8;

interface Theme {
  text: string;
  grid: string;
  fail: string;
  font: string;
  surface: string;
  runColor(index: number): string;
}

function readTheme(element: Element): Theme {
  const style = getComputedStyle(element);
  const css = (name: string) => style.getPropertyValue(name).trim();
  const fontFamily = css('--font-ui') || 'sans-serif';
  return {
    text: css('--text-muted'),
    grid: css('--border'),
    fail: css('--fail'),
    surface: css('--surface'),
    font: `11px ${fontFamily}`,
    runColor: (index) => css(`--run-color-${index}`) || css('--accent'),
  };
}

/** Per plotted series: what to draw, and the values (NaN kept) the readout prints. */
interface PlotSeries {
  run: ChartRun;
  smoothed: boolean;
  values: AlignedValues;
}

interface ChartBody {
  aligned: Aligned;
  series: PlotSeries[];
  markers: number[];
}

interface ChartState extends ChartBody {
  metric: ChartMetric;
  figure: HTMLElement;
  readout: HTMLElement;
  /** The user zoomed in: new data must not reset the view. */
  zoomed: boolean;
}

interface Chart extends ChartState {
  plot: uPlot;
}

/** How x values read: steps and epochs as numbers, log times as a duration, arrivals as a clock. */
type XFormat = 'number' | 'duration' | 'clock';

let nextSyncKey = 0;

export class LossChartController {
  private readonly root: HTMLElement;
  private readonly syncKey = `loss-${nextSyncKey++}`;
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;
  private charts: Chart[] = [];
  private runs: readonly ChartRun[] = [];
  private view: ChartView | null = null;
  /** What the built charts are made of; data changes within it only call setData. */
  private layout = '';

  constructor(root: HTMLElement) {
    this.root = root;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(root);
    // Colors are read from CSS variables when the charts are built: a theme switch rebuilds them.
    this.themeObserver = new MutationObserver(() => this.rebuild());
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }

  /** New data (a live run grew, the smoothing moved) is set into the charts; anything else rebuilds them. */
  update(runs: readonly ChartRun[], view: ChartView): void {
    const previous = this.view;
    this.runs = runs;
    this.view = view;
    const layout = layoutOf(runs, view);
    if (previous && previous.labels === view.labels && layout === this.layout) this.refresh();
    else this.rebuild();
  }

  /** The loss chart as a PNG on the panel's background (the canvas itself is transparent). */
  async toPng(): Promise<Blob | null> {
    const plot = this.charts[0]?.plot;
    if (!plot) return null;
    const source = plot.ctx.canvas;
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.fillStyle = readTheme(this.root).surface;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(source, 0, 0);
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.clear();
  }

  private clear(): void {
    for (const chart of this.charts) chart.plot.destroy();
    this.charts = [];
    this.root.replaceChildren();
  }

  private rebuild(): void {
    this.clear();
    const view = this.view;
    this.layout = view ? layoutOf(this.runs, view) : '';
    if (!view || this.runs.length === 0) return;
    const theme = readTheme(this.root);
    for (const metric of view.metrics) {
      const body = this.chartBody(metric, view);
      if (!body) continue;
      const figure = document.createElement('figure');
      figure.className = 'loss-chart';
      const title = chartTitle(metric, view, this.runs);
      figure.setAttribute('aria-label', title);
      const caption = document.createElement('figcaption');
      caption.className = 'loss-chart__title';
      caption.textContent = title;
      const readout = document.createElement('output');
      readout.className = 'loss-chart__readout';
      figure.append(caption);
      this.root.append(figure);
      // One object: the plot's hooks read the data that refresh() later puts into it.
      const state: ChartState = { metric, figure, readout, zoomed: false, ...body };
      const chart: Chart = Object.assign(state, { plot: new uPlot(this.options(state, view, theme), plotData(state), figure) });
      figure.append(readout);
      this.charts.push(chart);
    }
  }

  /** Same charts, new data: a zoomed chart keeps its scales, the others take in the new points. */
  private refresh(): void {
    const view = this.view;
    if (!view) return;
    for (const chart of this.charts) {
      const body = this.chartBody(chart.metric, view);
      if (!body) continue;
      Object.assign(chart, body);
      chart.plot.setData(plotData(chart), !chart.zoomed);
    }
  }

  /** A chart's series: every run that has the metric on this x axis; loss adds each run's smoothed line. */
  private chartBody(metric: ChartMetric, view: ChartView): ChartBody | null {
    const runs = chartRuns(this.runs, metric, view.xAxis);
    if (runs.length === 0) return null;
    const ties: Ties = view.xAxis === 'step' ? 'last' : 'spread';
    const aligned = alignSeries(
      runs.map((run) => {
        const column = run.columns.metrics[metric] as MetricColumn;
        return { x: xValues(column, view.xAxis), y: column.value };
      }),
      ties,
    );
    const series: PlotSeries[] = [];
    const markers: number[] = [];
    runs.forEach((run, i) => {
      const values = aligned.ys[i] ?? [];
      markers.push(...nonFiniteAt(aligned.x, values));
      series.push({ run, smoothed: false, values });
      if (metric === 'loss') series.push({ run, smoothed: true, values: smoothedOnJoin(values, view.smoothing) });
    });
    return { aligned, series, markers };
  }

  private options(chart: ChartState, view: ChartView, theme: Theme): uPlot.Options {
    const format = xFormat(view.xAxis, this.runs);
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: theme.text,
      font: theme.font,
      labelFont: theme.font,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
    });
    const xAxis = axis(view.labels.x);
    if (format === 'duration') xAxis.values = (_plot, splits) => splits.map(formatDuration);
    const isLoss = chart.metric === 'loss';
    return {
      width: this.width(),
      height: isLoss ? LOSS_HEIGHT : SMALL_HEIGHT,
      legend: { show: false },
      cursor: { sync: { key: this.syncKey } },
      scales: {
        x: { time: format === 'clock' },
        y: { distr: view.logY && chart.metric !== 'learning_rate' ? 3 : 1 },
      },
      axes: [xAxis, { ...axis(''), size: 56 }],
      series: [
        { label: view.labels.x },
        ...chart.series.map(({ run, smoothed }): uPlot.Series => {
          const color = theme.runColor(run.colorIndex);
          const faint = isLoss && !smoothed;
          const series: uPlot.Series = { label: smoothed ? `${run.name} ${view.labels.smoothed}` : run.name, stroke: faint ? colorWithAlpha(color, 0.3) : color, width: faint ? 1 : 1.5, spanGaps: true };
          // uPlot shows points only where they are far apart; the faint raw line never needs them.
          if (faint) series.points = { show: false };
          return series;
        }),
      ],
      hooks: {
        draw: [
          (plot) => {
            drawMarkers(plot, chart.markers, theme.fail);
            chart.figure.dataset.points = String(chart.aligned.x.length);
            chart.figure.dispatchEvent(new CustomEvent(CHART_DRAWN, { detail: chart.aligned.x.length }));
          },
        ],
        setCursor: [(plot) => this.showReadout(chart, plot.cursor.idx ?? null, format)],
        setScale: [
          (plot, key) => {
            if (key === 'x') chart.zoomed = isZoomed(plot, chart.aligned.x);
          },
        ],
      },
    };
  }

  private showReadout(chart: ChartState, index: number | null, format: XFormat): void {
    const view = this.view;
    if (!view || index === null) {
      chart.readout.textContent = '';
      return;
    }
    const parts = [`${view.labels.x} ${formatX(chart.aligned.x[index] ?? NaN, format)}`];
    for (const series of chart.series) {
      const value = series.values[index];
      if (value === null || value === undefined) continue;
      parts.push(series.smoothed ? `(${view.labels.smoothed} ${formatNumber(value)})` : `· ${series.run.name}: ${formatNumber(value)}`);
    }
    chart.readout.textContent = parts.join(' ');
  }

  private width(): number {
    return Math.max(160, Math.floor(this.root.clientWidth));
  }

  private resize(): void {
    const width = this.width();
    for (const chart of this.charts) if (chart.plot.width !== width) chart.plot.setSize({ width, height: chart.plot.height });
  }
}

function xValues(column: MetricColumn, axis: XAxis): Float64Array {
  if (axis === 'epoch') return column.epoch;
  if (axis === 'time') return column.time ?? new Float64Array(0);
  return column.step;
}

/** The runs a chart shows: those with the metric, and an x for at least one of its points. */
function chartRuns(runs: readonly ChartRun[], metric: ChartMetric, axis: XAxis): ChartRun[] {
  return runs.filter((run) => {
    const column = run.columns.metrics[metric];
    return column !== undefined && xValues(column, axis).some((x) => !Number.isNaN(x));
  });
}

/** Everything that decides the charts' structure (which charts, which series, which axes). */
function layoutOf(runs: readonly ChartRun[], view: ChartView): string {
  const charts = view.metrics.map((metric) => [metric, chartRuns(runs, metric, view.xAxis).map((run) => run.id)]);
  const names = runs.map((run) => [run.id, run.name, run.colorIndex, run.columns.throughputUnit]);
  return JSON.stringify([view.xAxis, view.logY, xFormat(view.xAxis, runs), charts, names]);
}

function chartTitle(metric: ChartMetric, view: ChartView, runs: readonly ChartRun[]): string {
  const title = view.labels.metric[metric];
  if (metric !== 'throughput') return title;
  const units = [...new Set(runs.flatMap((run) => (run.columns.throughputUnit ? [run.columns.throughputUnit] : [])))];
  return units.length > 0 ? `${title} (${units.join(', ')})` : title;
}

/** Smoothing runs over each run's own points (it is per index), then goes back onto the joined x. */
function smoothedOnJoin(values: AlignedValues, smoothing: Smoothing): AlignedValues {
  if (values instanceof Float64Array) return smooth(values, smoothing);
  const at: number[] = [];
  const own: number[] = [];
  values.forEach((value, i) => {
    if (value === null) return;
    at.push(i);
    own.push(value);
  });
  const smoothed = smooth(own, smoothing);
  const out = new Array<number | null>(values.length).fill(null);
  at.forEach((index, k) => (out[index] = smoothed[k] ?? null));
  return out;
}

function xFormat(axis: XAxis, runs: readonly ChartRun[]): XFormat {
  if (axis !== 'time') return 'number';
  return runs.every((run) => run.columns.time !== 'log') ? 'clock' : 'duration';
}

function isZoomed(plot: uPlot, x: Float64Array): boolean {
  const { min, max } = plot.scales.x ?? {};
  if (min === undefined || max === undefined || x.length === 0) return false;
  const first = x[0] ?? 0;
  const last = x[x.length - 1] ?? 0;
  const slack = (last - first) * 1e-9;
  return min > first + slack || max < last - slack;
}

function plotData(chart: ChartBody): uPlot.AlignedData {
  return [chart.aligned.x, ...chart.series.map((series) => plottable(series.values, chart.aligned.x))] as uPlot.AlignedData;
}

/** Full precision: the readout is where users read exact values, and NaN/Infinity as such. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(8)));
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  const total = Math.round(Math.abs(seconds));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function formatX(x: number, format: XFormat): string {
  if (format === 'duration') return formatDuration(x);
  if (format === 'clock') return new Date(x * 1000).toLocaleTimeString();
  return formatNumber(x);
}

/** The palette is #rrggbb (app.css), so the faint raw line is the same color with an alpha byte. */
function colorWithAlpha(color: string, alpha: number): string {
  if (!/^#[0-9a-f]{6}$/i.test(color)) return color;
  return `${color}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}

/** A tick at the top of the plot for each NaN/Inf value inside the current x range. */
function drawMarkers(plot: uPlot, xs: readonly number[], color: string): void {
  if (xs.length === 0) return;
  const { ctx, bbox } = plot;
  const { min = -Infinity, max = Infinity } = plot.scales.x ?? {};
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * ratio;
  ctx.beginPath();
  for (const x of xs) {
    if (x < min || x > max) continue;
    const position = plot.valToPos(x, 'x', true);
    ctx.moveTo(position, bbox.top);
    ctx.lineTo(position, bbox.top + MARKER_LENGTH * ratio);
  }
  ctx.stroke();
  ctx.restore();
}
