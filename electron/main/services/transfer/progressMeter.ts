export interface TransferProgress {
  totalBytes: number;
  doneBytes: number;
  filesDone: number;
  filesTotal: number;
  currentFile: string | null;
  bytesPerSecond: number;
  /** null until the rate is known. */
  etaSeconds: number | null;
}

const WINDOW_MS = 3000;

/** Rate over the last few seconds, so the ETA follows the link as it is now, not its average. */
export class ProgressMeter {
  private readonly samples: Array<[number, number]> = [];
  private progress: TransferProgress;

  constructor(totalBytes: number, filesTotal: number, private readonly now: () => number = () => performance.now()) {
    this.progress = { totalBytes, doneBytes: 0, filesDone: 0, filesTotal, currentFile: null, bytesPerSecond: 0, etaSeconds: null };
    this.samples.push([this.now(), 0]);
  }

  add(bytes: number): void {
    this.progress.doneBytes += bytes;
  }

  fileStarted(name: string): void {
    this.progress.currentFile = name;
  }

  fileDone(): void {
    this.progress.filesDone++;
  }

  snapshot(): TransferProgress {
    const now = this.now();
    this.samples.push([now, this.progress.doneBytes]);
    while (this.samples.length > 2 && (this.samples[0]?.[0] ?? now) < now - WINDOW_MS) this.samples.shift();
    const [t0, b0] = this.samples[0] ?? [now, 0];
    const seconds = (now - t0) / 1000;
    const rate = seconds > 0.2 ? (this.progress.doneBytes - b0) / seconds : 0;
    const left = this.progress.totalBytes - this.progress.doneBytes;
    return { ...this.progress, bytesPerSecond: rate, etaSeconds: rate > 0 ? left / rate : left === 0 ? 0 : null };
  }
}
