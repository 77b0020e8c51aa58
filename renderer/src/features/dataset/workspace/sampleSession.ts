// The sample being edited, outside React: it loads one sample at a time from the main process,
// takes every edit (from the canvas, the text or a command), tells its listeners synchronously
// (the JSON preview follows in the same frame) and sends committed edits with dataset:update no
// later than SEND_DELAY_MS after the first one it holds. Updates go out one after another, so the
// main process sees a sample's versions in order.

import type { DatasetProblem } from '../../../../../shared/dataset/datasetProblems';
import type { EditableSample } from '../../../../../shared/dataset/sampleModel';
import type { EditResult, SampleImageInfo, SampleRecordSource, SampleResult, SampleRow, WireSample } from '../../../../../shared/dataset/workspaceApi';
import type { TextCursor } from '../conversation/insertionPoint';
import { sampleFromWire, sampleToWire } from './wireSample';

/** The longest a committed edit waits before it is sent (the issue allows ~300 ms). */
export const SEND_DELAY_MS = 250;
/** After a failed send, the next try. */
export const RETRY_DELAY_MS = 2000;

/** What made the sample change: the canvas does not need to hear about its own edits. */
export type EditSource = 'load' | 'canvas' | 'text' | 'command';

/** Edits held here (`waiting`), on their way (`sending`), or refused (`failed`); `idle` when all are acknowledged. */
export type SendState = 'idle' | 'waiting' | 'sending' | 'failed';

export interface SessionSnapshot {
  readonly index: number | null;
  readonly sample: EditableSample | null;
  readonly images: readonly SampleImageInfo[];
  readonly problems: readonly DatasetProblem[];
  /** What the JSON preview needs to show the sample as the saved file will hold it; null until loaded. */
  readonly record: SampleRecordSource | null;
  /** The picture of the sample shown on the canvas (0-based in the conversation). */
  readonly picture: number;
  /** A sample is being fetched (the previous one stays shown meanwhile). */
  readonly loading: boolean;
  readonly loadError: string | null;
  readonly send: SendState;
  readonly sendError: string | null;
  readonly source: EditSource;
  /** Where a box drawn next goes when it fits there: the caret of the turn last typed in. */
  readonly caret: TextCursor | null;
  /** Bumped by every change, so a view can tell a new sample from an edit of the same one. */
  readonly revision: number;
}

/** The two calls the session needs (the real `api.dataset` has them). */
export interface SessionApi {
  sample(request: { id: string; index: number }): Promise<SampleResult>;
  update(request: { id: string; index: number; sample: WireSample }): Promise<EditResult>;
}

interface Payload {
  id: string;
  index: number;
  sample: WireSample;
  /** Order of creation: a sample's later version always wins over an earlier one. */
  seq: number;
}

const EMPTY: SessionSnapshot = { index: null, sample: null, images: [], problems: [], record: null, picture: 0, loading: false, loadError: null, send: 'idle', sendError: null, source: 'load', caret: null, revision: 0 };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class SampleSession {
  private snapshot: SessionSnapshot = EMPTY;
  private readonly listeners = new Set<(snapshot: SessionSnapshot) => void>();
  private readonly rowListeners = new Set<(row: SampleRow) => void>();
  private loadToken = 0;
  /** The current sample has committed edits not yet handed to `chain`. */
  private unsent = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight = 0;
  private chain: Promise<void> = Promise.resolve();
  /** Payloads that failed, by sample index: retried before newer ones of the same sample. */
  private readonly failed = new Map<number, Payload>();
  private seq = 0;

  constructor(
    private readonly api: SessionApi,
    readonly workspaceId: string,
  ) {}

  getSnapshot = (): SessionSnapshot => this.snapshot;

  subscribe = (listener: (snapshot: SessionSnapshot) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The row summary the main process computed after an edit (for the sample list). */
  onRow(listener: (row: SampleRow) => void): () => void {
    this.rowListeners.add(listener);
    return () => this.rowListeners.delete(listener);
  }

  /** Shows sample `index`; what is held for the one shown before is sent first. */
  async load(index: number): Promise<void> {
    this.sendNow();
    const token = ++this.loadToken;
    this.publish({ loading: true, loadError: null });
    try {
      const result = await this.api.sample({ id: this.workspaceId, index });
      if (token !== this.loadToken) return;
      this.publish({ index: result.index, sample: sampleFromWire(result.sample), images: result.images, problems: result.problems, record: result.record, picture: 0, loading: false, source: 'load', caret: null });
    } catch (error) {
      if (token !== this.loadToken) return;
      this.publish({ loading: false, loadError: messageOf(error) });
    }
  }

  /** Fetches the shown sample again (after a change made elsewhere, e.g. a template on all samples). */
  reload(): Promise<void> {
    return this.snapshot.index === null ? Promise.resolve() : this.load(this.snapshot.index);
  }

  /**
   * A new version of the shown sample. `pending` edits (a drag under way) are shown but not sent:
   * the drag's end sends the result.
   */
  edit(sample: EditableSample, source: EditSource, options: { pending?: boolean; caret?: TextCursor | null } = {}): void {
    if (this.snapshot.index === null) return;
    this.publish({ sample, source, ...(options.caret !== undefined && { caret: options.caret }) });
    if (options.pending) return;
    this.unsent = true;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.sendNow();
    }, SEND_DELAY_MS);
    this.publish({ send: this.sendState() });
  }

  selectPicture(picture: number): void {
    if (picture !== this.snapshot.picture) this.publish({ picture, source: 'load' });
  }

  /** Where the next box goes; no listener needs to hear about caret moves. */
  setCaret(caret: TextCursor | null): void {
    this.snapshot = { ...this.snapshot, caret };
  }

  /** Sends what is held now, and resolves when every edit so far is acknowledged (or failed). */
  flush(): Promise<void> {
    this.sendNow();
    return this.chain;
  }

  get hasUnacknowledgedEdits(): boolean {
    return this.unsent || this.inFlight > 0 || this.failed.size > 0;
  }

  private sendNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const payloads = [...this.failed.values()];
    this.failed.clear();
    const { index, sample } = this.snapshot;
    if (this.unsent && index !== null && sample) {
      this.unsent = false;
      const newer = { id: this.workspaceId, index, sample: sampleToWire(sample), seq: ++this.seq };
      const at = payloads.findIndex((payload) => payload.index === index);
      // A newer version of a sample that failed replaces it: the old one need not be written first.
      if (at === -1) payloads.push(newer);
      else payloads[at] = newer;
    }
    for (const payload of payloads) this.enqueue(payload);
    this.publish({ send: this.sendState() });
  }

  private enqueue(payload: Payload): void {
    this.inFlight++;
    this.chain = this.chain.then(async () => {
      try {
        const result = await this.api.update(payload);
        const failedBefore = this.failed.get(payload.index);
        if (failedBefore && failedBefore.seq < payload.seq) this.failed.delete(payload.index);
        if (!this.failed.has(payload.index)) this.acknowledged(result);
      } catch (error) {
        const known = this.failed.get(payload.index);
        if (!known || known.seq < payload.seq) this.failed.set(payload.index, payload);
        this.snapshot = { ...this.snapshot, sendError: messageOf(error) };
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.sendNow();
        }, RETRY_DELAY_MS);
      } finally {
        this.inFlight--;
        this.publish({ send: this.sendState() });
      }
    });
  }

  private acknowledged(result: EditResult): void {
    if (this.failed.size === 0) this.snapshot = { ...this.snapshot, sendError: null };
    // Problems of a version that is already outdated are still the best known until the next answer.
    if (result.index === this.snapshot.index) this.snapshot = { ...this.snapshot, problems: result.problems };
    for (const listener of this.rowListeners) listener(result.row);
  }

  private sendState(): SendState {
    if (this.failed.size > 0) return 'failed';
    if (this.inFlight > 0) return 'sending';
    return this.unsent ? 'waiting' : 'idle';
  }

  private publish(patch: Partial<SessionSnapshot>): void {
    const next = { ...this.snapshot, ...patch };
    const keys = Object.keys(patch) as (keyof SessionSnapshot)[];
    if (keys.every((key) => next[key] === this.snapshot[key])) return;
    this.snapshot = { ...next, revision: this.snapshot.revision + 1 };
    for (const listener of this.listeners) listener(this.snapshot);
  }
}
