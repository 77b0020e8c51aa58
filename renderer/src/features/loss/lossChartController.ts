// The loss panel's charts, outside React: React hands over runs and view options, the controller
// owns the uPlot instances, their sizes and the big arrays. One loss chart (raw line faint, smoothed
// line on top) and optional small charts for learning rate, grad norm and eval loss, with synced
// cursors. uPlot draws every point (it reduces per pixel itself) but must never see NaN, so
// non-finite values become gaps and a tick at the top of the plot marks each one.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { alignSeries, nonFiniteAt, plottable } from './chartData';
import type { Aligned } from './chartData';
import type { ChartMetric, RunColumns } from './runData';
import { smoothEma } from './smoothing';

export type XAxis = 'step' | 'epoch';

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
  smoothing: number;
  /** The charts to show, loss first. */
  metrics: readonly ChartMetric[];
  labels: { x: string; smoothed: string; metric: Record<ChartMetric, string> };
}

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
  values: (number | null)[];
}

interface ChartBody {
  metric: ChartMetric;
  readout: HTMLElement;
  aligned: Aligned;
  series: PlotSeries[];
  markers: number[];
}

interface Chart extends ChartBody {
  plot: uPlot;
}

let nextSyncKey = 0;

export class LossChartController {
  private readonly root: HTMLElement;
  private readonly syncKey = `loss-${nextSyncKey++}`;
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;
  private charts: Chart[] = [];
  private runs: readonly ChartRun[] = [];
  private view: ChartView | null = null;

  constructor(root: HTMLElement) {
    this.root = root;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(root);
    // Colors are read from CSS variables when the charts are built: a theme switch rebuilds them.
    this.themeObserver = new MutationObserver(() => this.rebuild());
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }

  /** A change of smoothing alone keeps the zoom; anything else rebuilds the charts. */
  update(runs: readonly ChartRun[], view: ChartView): void {
    const previous = this.view;
    const sameRuns = runs.length === this.runs.length && runs.every((run, i) => sameRun(run, this.runs[i]));
    this.runs = runs;
    this.view = view;
    if (previous && sameRuns && sameLayout(previous, view)) {
      if (previous.smoothing !== view.smoothing) this.resmooth();
      return;
    }
    this.rebuild();
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
    if (!view || this.runs.length === 0) return;
    const theme = readTheme(this.root);
    for (const metric of view.metrics) {
      const data = this.chartData(metric, view);
      if (!data) continue;
      const figure = document.createElement('figure');
      figure.className = 'loss-chart';
      figure.setAttribute('aria-label', view.labels.metric[metric]);
      const caption = document.createElement('figcaption');
      caption.className = 'loss-chart__title';
      caption.textContent = view.labels.metric[metric];
      const readout = document.createElement('output');
      readout.className = 'loss-chart__readout';
      figure.append(caption);
      this.root.append(figure);
      const body: ChartBody = { metric, readout, ...data };
      const plot = new uPlot(this.options(body, view, theme), plotData(body), figure);
      figure.append(readout);
      this.charts.push({ ...body, plot });
    }
  }

  /** The chart's series: loss gets a faint raw line under each smoothed one. */
  private chartData(metric: ChartMetric, view: ChartView): Pick<ChartBody, 'aligned' | 'series' | 'markers'> | null {
    const runs = this.runs.filter((run) => run.columns[metric]);
    if (runs.length === 0) return null;
    const aligned = alignSeries(
      runs.map((run) => {
        const column = run.columns[metric];
        return { x: view.xAxis === 'epoch' ? (column?.epoch ?? []) : (column?.step ?? []), y: column?.value ?? [] };
      }),
    );
    const series: PlotSeries[] = [];
    const markers: number[] = [];
    runs.forEach((run, i) => {
      const values = aligned.ys[i] ?? [];
      markers.push(...nonFiniteAt(aligned.x, values));
      series.push({ run, smoothed: false, values });
      if (metric === 'loss') series.push({ run, smoothed: true, values: [] });
    });
    const chart = { aligned, series, markers };
    if (metric === 'loss') this.smoothInto(chart, view.smoothing);
    return chart;
  }

  /** Smoothing runs over each run's own points (it is per index), then goes back onto the joined x. */
  private smoothInto(chart: Pick<ChartBody, 'series'>, weight: number): void {
    let raw: PlotSeries | undefined;
    for (const series of chart.series) {
      if (!series.smoothed) {
        raw = series;
        continue;
      }
      const source = raw?.values ?? [];
      const at: number[] = [];
      const own: number[] = [];
      source.forEach((value, i) => {
        if (value === null) return;
        at.push(i);
        own.push(value);
      });
      const smoothed = smoothEma(own, weight);
      const values = new Array<number | null>(source.length).fill(null);
      at.forEach((index, k) => (values[index] = smoothed[k] ?? null));
      series.values = values;
    }
  }

  private resmooth(): void {
    const view = this.view;
    if (!view) return;
    for (const chart of this.charts) {
      if (chart.metric !== 'loss') continue;
      this.smoothInto(chart, view.smoothing);
      chart.plot.setData(plotData(chart), false);
    }
  }

  private options(chart: ChartBody, view: ChartView, theme: Theme): uPlot.Options {
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: theme.text,
      font: theme.font,
      labelFont: theme.font,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
    });
    const isLoss = chart.metric === 'loss';
    return {
      width: this.width(),
      height: isLoss ? LOSS_HEIGHT : SMALL_HEIGHT,
      legend: { show: false },
      cursor: { sync: { key: this.syncKey } },
      scales: {
        x: { time: false },
        y: { distr: view.logY && chart.metric !== 'learning_rate' ? 3 : 1 },
      },
      axes: [axis(view.labels.x), { ...axis(''), size: 56 }],
      series: [
        { label: view.labels.x },
        ...chart.series.map(({ run, smoothed }): uPlot.Series => {
          const color = theme.runColor(run.colorIndex);
          const faint = isLoss && !smoothed;
          return {
            label: smoothed ? `${run.name} ${view.labels.smoothed}` : run.name,
            stroke: faint ? colorWithAlpha(color, 0.3) : color,
            width: faint ? 1 : 1.5,
            spanGaps: true,
            points: { show: !faint },
          };
        }),
      ],
      hooks: {
        draw: [(plot) => drawMarkers(plot, chart.markers, theme.fail)],
        setCursor: [(plot) => this.showReadout(chart, plot.cursor.idx ?? null)],
      },
    };
  }

  private showReadout(chart: ChartBody, index: number | null): void {
    const view = this.view;
    if (!view || index === null) {
      chart.readout.textContent = '';
      return;
    }
    const parts = [`${view.labels.x} ${formatNumber(chart.aligned.x[index] ?? NaN)}`];
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

function plotData(chart: ChartBody): uPlot.AlignedData {
  return [chart.aligned.x, ...chart.series.map((series) => plottable(series.values))];
}

function sameRun(a: ChartRun, b: ChartRun | undefined): boolean {
  return b !== undefined && a.id === b.id && a.name === b.name && a.colorIndex === b.colorIndex && a.columns === b.columns;
}

function sameLayout(a: ChartView, b: ChartView): boolean {
  return a.xAxis === b.xAxis && a.logY === b.logY && a.metrics.join() === b.metrics.join() && a.labels === b.labels;
}

/** Full precision: the readout is where users read exact values, and NaN/Infinity as such. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(8)));
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
