/**
 * Progress of `docker pull` from what it has printed so far, in any of its three forms: plain
 * lines without a terminal (no byte counts), the redrawn ANSI progress bars a pty gets, and the
 * Engine API's JSON stream (byte counts in progressDetail).
 */
import type { DockerError } from './dockerErrors';
import { classifyDockerError } from './dockerErrors';
import { parseDockerSize } from './docker';

export type LayerPhase = 'queued' | 'waiting' | 'downloading' | 'verifying' | 'downloaded' | 'extracting' | 'complete' | 'exists' | 'retrying';

export interface ByteProgress {
  readonly current: number;
  readonly total: number;
}

export interface LayerProgress {
  readonly id: string;
  readonly phase: LayerPhase;
  readonly download: ByteProgress | null;
  readonly extract: ByteProgress | null;
  /** 0 to 1: downloading is the first half, extracting the second. */
  readonly fraction: number;
}

export interface PullProgress {
  readonly layers: readonly LayerProgress[];
  /** 0 to 1 over all layers, weighted by size once sizes are known. */
  readonly fraction: number;
  readonly outcome: 'downloaded' | 'up-to-date' | null;
  readonly digest: string | null;
  readonly error: DockerError | null;
}

const PHASES: ReadonlyArray<readonly [RegExp, LayerPhase]> = [
  [/^Pulling fs layer/, 'queued'],
  [/^Waiting/, 'waiting'],
  [/^Downloading/, 'downloading'],
  [/^Verifying Checksum/, 'verifying'],
  [/^Download complete/, 'downloaded'],
  [/^Extracting/, 'extracting'],
  [/^Pull complete/, 'complete'],
  [/^Already exists/, 'exists'],
  [/^Retrying in/, 'retrying'],
];

const LAYER_ID = /^[0-9a-f]{12}$/;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

interface MutableLayer {
  id: string;
  phase: LayerPhase;
  download: ByteProgress | null;
  extract: ByteProgress | null;
}

function share(progress: ByteProgress | null): number {
  return progress && progress.total > 0 ? Math.min(1, progress.current / progress.total) : 0;
}

function layerFraction(layer: MutableLayer): number {
  switch (layer.phase) {
    case 'complete':
    case 'exists':
      return 1;
    case 'extracting':
      return 0.5 + 0.5 * share(layer.extract);
    case 'verifying':
    case 'downloaded':
      return 0.5;
    case 'downloading':
      return 0.5 * share(layer.download);
    default:
      return 0;
  }
}

/** "[==>   ]  2.785MB/62.93MB" -> bytes. */
function barBytes(text: string): ByteProgress | null {
  const match = /(\d+(?:\.\d+)?[kKMGT]?B)\/(\d+(?:\.\d+)?[kKMGT]?B)\s*$/.exec(text);
  const current = match ? parseDockerSize(match[1] ?? '') : null;
  const total = match ? parseDockerSize(match[2] ?? '') : null;
  return current !== null && total !== null ? { current, total } : null;
}

interface PullEvent {
  id: string | null;
  status: string;
  bytes: ByteProgress | null;
  error: string | null;
}

function jsonEvent(line: string): PullEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as { id?: unknown; status?: unknown; error?: unknown; progressDetail?: { current?: unknown; total?: unknown } };
  const detail = record.progressDetail;
  const bytes = typeof detail?.current === 'number' && typeof detail.total === 'number' ? { current: detail.current, total: detail.total } : null;
  return {
    id: typeof record.id === 'string' ? record.id : null,
    status: typeof record.status === 'string' ? record.status : '',
    bytes,
    error: typeof record.error === 'string' ? record.error : null,
  };
}

function textEvent(line: string): PullEvent {
  const layer = /^([0-9a-f]{12}): (.*)$/.exec(line);
  if (!layer) return { id: null, status: line, bytes: null, error: null };
  const status = layer[2] ?? '';
  return { id: layer[1] ?? null, status, bytes: barBytes(status), error: null };
}

/**
 * `textSoFar` is everything received; a last line still being written is left for the next call
 * (its byte count may be cut short).
 */
export function pullProgress(textSoFar: string): PullProgress {
  const segments = textSoFar.replace(ANSI, '').split(/\r\n|\r|\n/);
  segments.pop();
  const layers = new Map<string, MutableLayer>();
  const otherLines: string[] = [];
  let outcome: PullProgress['outcome'] = null;
  let digest: string | null = null;

  for (const segment of segments) {
    const line = segment.trim();
    if (line === '') continue;
    const event = line.startsWith('{') ? jsonEvent(line) : textEvent(line);
    if (!event) continue;
    if (event.error !== null) otherLines.push(event.error);
    const phase = PHASES.find(([pattern]) => pattern.test(event.status))?.[1];
    if (event.id !== null && LAYER_ID.test(event.id) && phase) {
      const layer = layers.get(event.id) ?? { id: event.id, phase, download: null, extract: null };
      layer.phase = phase;
      if (phase === 'downloading' && event.bytes) layer.download = event.bytes;
      if (phase === 'extracting' && event.bytes) layer.extract = event.bytes;
      if (phase === 'retrying') layer.download = null;
      layers.set(event.id, layer);
      continue;
    }
    const digestMatch = /^Digest: (sha256:[0-9a-f]{64})/.exec(event.status);
    if (digestMatch) digest = digestMatch[1] ?? null;
    else if (/^Status: Downloaded newer image/.test(event.status)) outcome = 'downloaded';
    else if (/^Status: Image is up to date/.test(event.status)) outcome = 'up-to-date';
    else if (event.id === null && event.status !== '') otherLines.push(event.status);
  }

  const list = [...layers.values()].map((layer) => ({ ...layer, fraction: layerFraction(layer) }));
  const sizes = list.map((layer) => layer.download?.total ?? layer.extract?.total ?? null);
  const known = sizes.filter((size): size is number => size !== null);
  // A layer whose size is not printed yet counts as an average one rather than as nothing, which
  // would make the bar leap ahead and fall back once the big layers start.
  const fallback = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  const weights = sizes.map((size) => size ?? fallback);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const weighted = list.reduce((sum, layer, index) => sum + layer.fraction * (weights[index] ?? 0), 0);
  const fraction = outcome !== null ? 1 : totalWeight > 0 ? weighted / totalWeight : 0;

  return { layers: list, fraction, outcome, digest, error: classifyDockerError(otherLines.join('\n'), null) };
}
