import type { StateCreator } from 'zustand';
import type { HostId } from '../../../shared/hosts/hostProfile';
import type { LogStreamId, LogStreamInfo, LogStreamMode } from '../../../shared/logs/logStreamApi';
import type { LogSummary } from '../../../shared/trainingLog';
import { DEFAULT_MEAN_WINDOW, DEFAULT_SMOOTHING } from '../features/loss/smoothing';
import type { AppState } from './appStore';

/** Colors in the --run-color-N palette of app.css. */
export const RUN_COLORS = 8;

/** parsing: a local file in the worker; remote: read by the main process (see `stream`). */
export type LossRunStatus = 'parsing' | 'done' | 'failed' | 'remote';
export type LossXAxis = 'step' | 'epoch' | 'time';
export type SmoothingKind = 'ema' | 'mean';

/** A log on a DevServer, followed or read once by the main process. */
export interface RemoteRunSource {
  hostId: HostId;
  path: string;
  mode: LogStreamMode;
  streamId: LogStreamId;
}

/** A run's metadata; its points live outside the store (features/loss/runData.ts). */
export interface LossRun {
  id: string;
  name: string;
  colorIndex: number;
  visible: boolean;
  status: LossRunStatus;
  bytesDone: number;
  bytesTotal: number;
  summary: LogSummary | null;
  parseMillis: number | null;
  error: string | null;
  remote: RemoteRunSource | null;
  /** The main process's view of a remote run: state, problem, progress. */
  stream: LogStreamInfo | null;
  /** Points received so far (remote runs). */
  points: number;
}

export interface LossView {
  smoothingKind: SmoothingKind;
  /** TensorBoard's EMA weight, 0–0.999. */
  smoothing: number;
  /** Points in the running mean. */
  meanWindow: number;
  xAxis: LossXAxis;
  logY: boolean;
  learningRate: boolean;
  gradNorm: boolean;
  evalLoss: boolean;
  throughput: boolean;
}

export interface LossSlice {
  lossRuns: LossRun[];
  lossView: LossView;
  lossRunOpened(id: string, name: string, bytesTotal: number): void;
  lossRemoteRunOpened(id: string, name: string, remote: RemoteRunSource, stream: LogStreamInfo): void;
  lossRunProgressed(id: string, bytesDone: number): void;
  lossRunParsed(id: string, summary: LogSummary, parseMillis: number): void;
  lossRunFailed(id: string, error: string): void;
  lossStreamChanged(id: string, stream: LogStreamInfo): void;
  lossRunPointsReceived(id: string, points: number): void;
  lossRunVisibilityToggled(id: string): void;
  lossRunRemoved(id: string): void;
  lossViewChanged(patch: Partial<LossView>): void;
}

const updateRun = (runs: LossRun[], id: string, patch: Partial<LossRun>): LossRun[] => runs.map((run) => (run.id === id ? { ...run, ...patch } : run));

/** The first palette color no open run uses, so removing a run frees its color. */
function freeColor(runs: readonly LossRun[]): number {
  const used = new Set(runs.map((run) => run.colorIndex));
  for (let index = 0; index < RUN_COLORS; index++) if (!used.has(index)) return index;
  return runs.length % RUN_COLORS;
}

const newRun = (runs: readonly LossRun[], id: string, name: string): LossRun => ({
  id,
  name,
  colorIndex: freeColor(runs),
  visible: true,
  status: 'parsing',
  bytesDone: 0,
  bytesTotal: 0,
  summary: null,
  parseMillis: null,
  error: null,
  remote: null,
  stream: null,
  points: 0,
});

export const createLossSlice: StateCreator<AppState, [], [], LossSlice> = (set) => ({
  lossRuns: [],
  lossView: { smoothingKind: 'ema', smoothing: DEFAULT_SMOOTHING, meanWindow: DEFAULT_MEAN_WINDOW, xAxis: 'step', logY: false, learningRate: false, gradNorm: false, evalLoss: false, throughput: false },
  lossRunOpened: (id, name, bytesTotal) => set((state) => ({ lossRuns: [...state.lossRuns, { ...newRun(state.lossRuns, id, name), bytesTotal }] })),
  lossRemoteRunOpened: (id, name, remote, stream) =>
    set((state) => ({ lossRuns: [...state.lossRuns, { ...newRun(state.lossRuns, id, name), status: 'remote', remote, stream, summary: stream.summary, bytesTotal: stream.bytesTotal ?? 0, bytesDone: stream.bytesRead }] })),
  lossRunProgressed: (id, bytesDone) => set((state) => ({ lossRuns: updateRun(state.lossRuns, id, { bytesDone }) })),
  lossRunParsed: (id, summary, parseMillis) => set((state) => ({ lossRuns: updateRun(state.lossRuns, id, { status: 'done', summary, parseMillis }) })),
  lossRunFailed: (id, error) => set((state) => ({ lossRuns: updateRun(state.lossRuns, id, { status: 'failed', error }) })),
  lossStreamChanged: (id, stream) =>
    set((state) => ({ lossRuns: updateRun(state.lossRuns, id, { stream, summary: stream.summary, bytesDone: stream.bytesRead, bytesTotal: stream.bytesTotal ?? 0 }) })),
  lossRunPointsReceived: (id, points) => set((state) => ({ lossRuns: updateRun(state.lossRuns, id, { points }) })),
  lossRunVisibilityToggled: (id) => set((state) => ({ lossRuns: state.lossRuns.map((run) => (run.id === id ? { ...run, visible: !run.visible } : run)) })),
  lossRunRemoved: (id) => set((state) => ({ lossRuns: state.lossRuns.filter((run) => run.id !== id) })),
  lossViewChanged: (patch) => set((state) => ({ lossView: { ...state.lossView, ...patch } })),
});
