import type { StateCreator } from 'zustand';
import type { LogSummary } from '../../../shared/trainingLog';
import { DEFAULT_SMOOTHING } from '../features/loss/smoothing';
import type { AppState } from './appStore';

/** Colors in the --run-color-N palette of app.css. */
export const RUN_COLORS = 8;
const RECENT_FILES = 10;

export type LossRunStatus = 'parsing' | 'done' | 'failed';
export type LossXAxis = 'step' | 'epoch';

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
}

export interface LossView {
  smoothing: number;
  xAxis: LossXAxis;
  logY: boolean;
  learningRate: boolean;
  gradNorm: boolean;
  evalLoss: boolean;
}

export interface LossSlice {
  lossRuns: LossRun[];
  /** Names only: the panel never keeps a path. */
  recentLogFiles: string[];
  lossView: LossView;
  lossRunOpened(id: string, name: string, bytesTotal: number): void;
  lossRunProgressed(id: string, bytesDone: number): void;
  lossRunParsed(id: string, summary: LogSummary, parseMillis: number): void;
  lossRunFailed(id: string, error: string): void;
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

export const createLossSlice: StateCreator<AppState, [], [], LossSlice> = (set) => ({
  lossRuns: [],
  recentLogFiles: [],
  lossView: { smoothing: DEFAULT_SMOOTHING, xAxis: 'step', logY: false, learningRate: false, gradNorm: false, evalLoss: false },
  lossRunOpened: (id, name, bytesTotal) =>
    set((state) => ({
      lossRuns: [...state.lossRuns, { id, name, colorIndex: freeColor(state.lossRuns), visible: true, status: 'parsing', bytesDone: 0, bytesTotal, summary: null, parseMillis: null, error: null }],
      recentLogFiles: [name, ...state.recentLogFiles.filter((recent) => recent !== name)].slice(0, RECENT_FILES),
    })),
  lossRunProgressed: (id, bytesDone) => set((state) => ({ lossRuns: updateRun(state.lossRuns, id, { bytesDone }) })),
  lossRunParsed: (id, summary, parseMillis) => set((state) => ({ lossRuns: updateRun(state.lossRuns, id, { status: 'done', summary, parseMillis }) })),
  lossRunFailed: (id, error) => set((state) => ({ lossRuns: updateRun(state.lossRuns, id, { status: 'failed', error }) })),
  lossRunVisibilityToggled: (id) => set((state) => ({ lossRuns: state.lossRuns.map((run) => (run.id === id ? { ...run, visible: !run.visible } : run)) })),
  lossRunRemoved: (id) => set((state) => ({ lossRuns: state.lossRuns.filter((run) => run.id !== id) })),
  lossViewChanged: (patch) => set((state) => ({ lossView: { ...state.lossView, ...patch } })),
});
