/**
 * `docker pull` as the wizard's progress: the layers from pullProgress with their state in both
 * languages, and the lines around them (registry, digest, outcome, errors) that say what happened.
 */
import type { LocalizedText } from '../i18n/localizedText';
import type { LayerPhase, LayerProgress } from './dockerPull';
import { pullProgress } from './dockerPull';
import type { ActionProgress, ProgressPart, ProgressReader } from './guideTypes';

const PHASE_TEXT: Readonly<Record<LayerPhase, LocalizedText>> = {
  queued: { zh: '准备下载', en: 'Pulling fs layer' },
  waiting: { zh: '等待中', en: 'Waiting' },
  downloading: { zh: '下载中', en: 'Downloading' },
  verifying: { zh: '校验中', en: 'Verifying checksum' },
  downloaded: { zh: '下载完成', en: 'Download complete' },
  extracting: { zh: '解压中', en: 'Extracting' },
  complete: { zh: '完成', en: 'Pull complete' },
  exists: { zh: '已存在', en: 'Already exists' },
  retrying: { zh: '重试中', en: 'Retrying' },
};

/** Enough to see the registry, the digest and the outcome or error of a pull. */
const KEPT_LINES = 6;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const LAYER_LINE = /^[0-9a-f]{12}: /;

function part(layer: LayerProgress): ProgressPart {
  // Bytes of the phase under way: a finished layer shows what it downloaded.
  const bytes = layer.phase === 'extracting' ? layer.extract : layer.download;
  return { id: layer.id, status: PHASE_TEXT[layer.phase], fraction: layer.fraction, current: bytes?.current ?? null, total: bytes?.total ?? null };
}

/** The complete lines that are not a layer's status; a line still being written waits, as in pullProgress. */
function otherLines(textSoFar: string): string[] {
  const segments = textSoFar.replace(ANSI, '').split(/\r\n|\r|\n/);
  segments.pop();
  return segments
    .map((segment) => segment.trim())
    .filter((line) => line !== '' && !LAYER_LINE.test(line) && !line.startsWith('{'))
    .slice(-KEPT_LINES);
}

export function pullActionProgress(textSoFar: string): ActionProgress {
  const progress = pullProgress(textSoFar);
  // A weighted sum of ones can come out a rounding error above 1.
  return { fraction: Math.min(1, progress.fraction), parts: progress.layers.map(part), lines: otherLines(textSoFar) };
}

/**
 * The lines pullProgress needs to give the same answer: of each layer its first line (the order of
 * the bars), its last download and extract counts and its last status; every other line. A pty
 * redraws each layer hundreds of times, so a long pull shrinks to a few lines per layer.
 */
export function compactPullOutput(textSoFar: string): string {
  const end = Math.max(textSoFar.lastIndexOf('\n'), textSoFar.lastIndexOf('\r')) + 1;
  const lines = textSoFar
    .slice(0, end)
    .replace(ANSI, '')
    .split(/\r\n|\r|\n/)
    .map((segment) => segment.trim())
    .filter((line) => line !== '');
  const keep = new Set<number>();
  const firstOf = new Map<string, number>();
  const lastOf = new Map<string, number>();
  lines.forEach((line, index) => {
    const layer = /^([0-9a-f]{12}): (\S+)/.exec(line);
    if (!layer) {
      keep.add(index);
      return;
    }
    const [, id = '', status = ''] = layer;
    if (!firstOf.has(id)) firstOf.set(id, index);
    lastOf.set(id, index);
    if (status === 'Downloading' || status === 'Extracting') lastOf.set(`${id} ${status}`, index);
  });
  for (const index of [...firstOf.values(), ...lastOf.values()]) keep.add(index);
  const kept = lines.filter((_, index) => keep.has(index));
  return `${kept.map((line) => `${line}\n`).join('')}${textSoFar.slice(end)}`;
}

export const pullProgressReader: ProgressReader = { read: pullActionProgress, compact: compactPullOutput };
