// Remote runs in the loss panel: logs on a DevServer that the main process follows or reads once,
// their points arriving in numbered batches. A batch is applied only where it continues what this
// window has (`received`); one that skips ahead means some were lost (the browser link dropped),
// and the missing stretch is asked for with logs:points, as is everything when a window opens on
// streams that were already running (a reload). So the chart gets every point exactly once.
//
// This lives outside React and stays connected while the panel is closed, so a live run keeps
// growing behind it; the charts are told once per frame at most.

import type { Api } from '../../../../shared/api/contract';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import type { LogPointBatch, LogStreamId, LogStreamInfo, LogStreamMode } from '../../../../shared/logs/logStreamApi';
import { useAppStore } from '../../store/appStore';
import { rowsFromBatch } from './pointRows';
import { RunBuilder } from './runBuilder';
import { runColumns, setRunColumns } from './runData';

interface RemoteRun {
  runId: string;
  streamId: LogStreamId;
  builder: RunBuilder;
  /** Points applied: the `from` the next batch must have. */
  received: number;
  /** Points the main process says it has (from its last info). */
  known: number;
  pulling: boolean;
}

let api: Api | null = null;
const byStream = new Map<LogStreamId, RemoteRun>();
const dirty = new Set<RemoteRun>();
let frame = 0;
let nextRun = 0;

/** Subscribes once per page, and takes over streams already running (after a reload). */
export function connectRemoteRuns(connected: Api): void {
  if (api) return;
  api = connected;
  connected.logs.onDidAppend(onBatch);
  connected.logs.onDidChange(onInfo);
  resync(connected);
  // Events sent while the browser's link to the local server was down are lost: catch up after.
  useAppStore.subscribe((state, previous) => {
    if (state.link === 'connected' && previous.link !== 'connected') resync(connected);
  });
}

/** Brings every run up to date with the main process's list; a stream it no longer has (the
 * server was restarted) ends, keeping its points. */
function resync(connected: Api): void {
  connected.logs.list().then(
    (streams) => {
      const listed = new Set(streams.map((info) => info.id));
      for (const info of streams) (byStream.has(info.id) ? onInfo : adopt)(info);
      for (const run of byStream.values()) {
        const stream = useAppStore.getState().lossRuns.find((candidate) => candidate.id === run.runId)?.stream;
        if (!listed.has(run.streamId) && stream && stream.state !== 'ended' && stream.state !== 'error') useAppStore.getState().lossStreamChanged(run.runId, { ...stream, state: 'ended', problem: null });
      }
    },
    (error: unknown) => console.error('Listing remote logs failed', error),
  );
}

/** Follows (or reads once) a log on a connected host; resolves once the run is in the panel. */
export async function openRemoteLog(hostId: HostId, path: string, mode: LogStreamMode): Promise<void> {
  if (!api) throw new Error('The loss panel is not connected yet.');
  const request = { hostId, path };
  adopt(mode === 'follow' ? await api.logs.follow(request) : await api.logs.openRemote(request));
}

/** Stops reading; the run and its points stay. */
export function stopRemoteRun(runId: string): void {
  const run = [...byStream.values()].find((candidate) => candidate.runId === runId);
  if (run && api) api.logs.unfollow({ id: run.streamId }).catch((error: unknown) => console.error('Stopping the remote log failed', error));
}

/** Forgets a remote run here and in the main process. */
export function closeRemoteRun(runId: string): void {
  for (const run of byStream.values()) {
    if (run.runId !== runId) continue;
    byStream.delete(run.streamId);
    dirty.delete(run);
    api?.logs.close({ id: run.streamId }).catch((error: unknown) => console.error('Closing the remote log failed', error));
  }
}

function adopt(info: LogStreamInfo): void {
  const runId = `remote-${++nextRun}`;
  const run: RemoteRun = { runId, streamId: info.id, builder: new RunBuilder(), received: 0, known: info.points, pulling: false };
  byStream.set(info.id, run);
  const name = info.path.slice(info.path.lastIndexOf('/') + 1) || info.path;
  useAppStore.getState().lossRemoteRunOpened(runId, name, { hostId: info.hostId, path: info.path, mode: info.mode, streamId: info.id }, info);
  setRunColumns(runId, run.builder.columns());
  void pull(run);
}

function onBatch(batch: LogPointBatch): void {
  const run = byStream.get(batch.id);
  if (!run) return;
  run.known = Math.max(run.known, batch.from + batch.step.length);
  if (!apply(run, batch)) void pull(run);
}

function onInfo(info: LogStreamInfo): void {
  const run = byStream.get(info.id);
  if (!run) return;
  run.known = Math.max(run.known, info.points);
  useAppStore.getState().lossStreamChanged(run.runId, info);
  if (run.received < run.known) void pull(run);
}

/** Applies the part of a batch that continues the run; false when it starts beyond it (a gap). */
function apply(run: RemoteRun, batch: LogPointBatch): boolean {
  const end = batch.from + batch.step.length;
  if (batch.from > run.received) return false;
  if (end <= run.received) return true;
  const skip = run.received - batch.from;
  const rows = rowsFromBatch(skip === 0 ? batch : sliceBatch(batch, skip));
  run.builder.append(rows);
  run.received = end;
  dirty.add(run);
  frame ||= requestAnimationFrame(publish);
  return true;
}

/** The batch without its first `skip` points (already applied). */
function sliceBatch(batch: LogPointBatch, skip: number): LogPointBatch {
  return {
    ...batch,
    from: batch.from + skip,
    step: batch.step.slice(skip),
    kind: batch.kind.slice(skip),
    format: batch.format.slice(skip),
    rank: batch.rank.slice(skip),
    time: batch.time.slice(skip),
    arrival: batch.arrival.slice(skip),
    metrics: Object.fromEntries(Object.entries(batch.metrics).map(([name, column]) => [name, column.slice(skip)])),
  };
}

/** Asks for what is missing, one batch at a time, until the run has every point it knows of. */
async function pull(run: RemoteRun): Promise<void> {
  if (run.pulling || !api) return;
  run.pulling = true;
  try {
    while (run.received < run.known && byStream.get(run.streamId) === run) {
      const batch = await api.logs.points({ id: run.streamId, from: run.received });
      if (batch.step.length === 0) break;
      apply(run, batch);
    }
  } catch (error) {
    console.error('Reading missed points failed', error);
  } finally {
    run.pulling = false;
  }
}

/** Once per frame: the charts take the new columns, the run card the new count. */
function publish(): void {
  frame = 0;
  const store = useAppStore.getState();
  for (const run of dirty) {
    if (!runColumns.has(run.runId)) continue;
    setRunColumns(run.runId, run.builder.columns());
    store.lossRunPointsReceived(run.runId, run.received);
  }
  dirty.clear();
}
