import type { TransferProgress } from '../main/services/transfer/progressMeter';
import { formatBytes } from '../main/services/transfer/transferJob';

function clock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** One line, redrawn in place: bar, percent, bytes, rate, ETA. */
export function renderProgress(progress: TransferProgress, width = 24): string {
  const fraction = progress.totalBytes > 0 ? Math.min(1, progress.doneBytes / progress.totalBytes) : 1;
  const filled = Math.round(fraction * width);
  const files = progress.filesTotal > 1 ? ` ${progress.filesDone}/${progress.filesTotal} files` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${formatBytes(progress.doneBytes)}/${formatBytes(progress.totalBytes)} ${formatBytes(progress.bytesPerSecond)}/s ETA ${clock(progress.etaSeconds)}${files}`;
}
