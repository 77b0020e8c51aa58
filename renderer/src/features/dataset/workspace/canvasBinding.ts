// Connects the box canvas to the sample session: it puts the shown picture and its boxes on the
// canvas when the sample changes from elsewhere (a load, typing, a template), and writes what the
// canvas does back into the sample's text, synchronously, so the preview follows in the frame.

import type { ImageSize } from '../../../../../shared/dataset/coordinates';
import { conversationOf } from '../../../../../shared/dataset/sampleModel';
import type { BoxCanvasController } from '../canvas/boxCanvasController';
import type { BoxChange } from '../editing/boxEditor';
import type { EditableBox } from '../editing/editableBox';
import { applyCanvasBoxes, canvasBoxes, pictureBoxes } from './canvasSync';
import type { SizeOf } from './canvasSync';
import type { ImageCache } from './imageCache';
import type { SampleSession, SessionSnapshot } from './sampleSession';

/** What the canvas shows: which picture of which sample, and the image's state. */
export interface ShownPicture {
  readonly key: string;
  readonly path: string | null;
  readonly status: 'none' | 'loading' | 'ready' | 'failed';
  readonly error: string | null;
}

const NONE: ShownPicture = { key: '', path: null, status: 'none', error: null };

export class CanvasBinding {
  private shown: ShownPicture = NONE;
  /** Canvas ids of the shown picture's boxes, in text order. */
  private ids: string[] = [];
  private size: ImageSize | null = null;
  private imageToken = 0;
  private readonly listeners = new Set<(shown: ShownPicture) => void>();
  private readonly detach: Array<() => void>;

  constructor(
    private readonly controller: BoxCanvasController,
    private readonly session: SampleSession,
    private readonly images: ImageCache,
  ) {
    this.detach = [session.subscribe((snapshot) => this.sessionChanged(snapshot)), controller.onChange((change) => this.canvasChanged(change))];
    this.sessionChanged(session.getSnapshot());
  }

  getShown = (): ShownPicture => this.shown;

  onShown = (listener: (shown: ShownPicture) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The size of an image of the shown sample: the decoded one's, else what the main process probed. */
  readonly sizeOf: SizeOf = (path) => {
    if (path === this.shown.path && this.size) return this.size;
    const info = this.session.getSnapshot().images.find((image) => image.path === path);
    return info?.width && info.height ? { width: info.width, height: info.height } : undefined;
  };

  dispose(): void {
    for (const off of this.detach) off();
    this.listeners.clear();
    this.imageToken++;
  }

  private sessionChanged(snapshot: SessionSnapshot): void {
    const { sample, index, picture } = snapshot;
    const path = sample ? (conversationOf(sample).pictures[picture]?.segment.path ?? null) : null;
    const key = index === null || path === null ? '' : `${index}:${picture}:${path}`;
    if (key !== this.shown.key) {
      this.show(key, path);
      return;
    }
    // The canvas's own edits are already on it.
    if (snapshot.source !== 'canvas') this.putBoxes();
  }

  private show(key: string, path: string | null): void {
    const token = ++this.imageToken;
    this.size = null;
    this.setShown({ key, path, status: path === null ? 'none' : 'loading', error: null });
    const probed = path === null ? undefined : this.sizeOf(path);
    // Until the image decodes, its boxes are shown on the probed size, so the text stays editable.
    this.size = probed ?? null;
    this.controller.setImage(key, null, probed ?? { width: 0, height: 0 });
    this.putBoxes(true);
    if (path === null) {
      this.images.pin(null);
      return;
    }
    this.images.get(path).then(
      (image) => {
        if (token !== this.imageToken) return;
        this.images.pin(path);
        this.size = { width: image.bitmap.width, height: image.bitmap.height };
        this.controller.setImage(key, image.bitmap, this.size, image.exifOrientation);
        this.setShown({ ...this.shown, status: 'ready' });
        this.putBoxes();
      },
      (error: unknown) => {
        if (token !== this.imageToken) return;
        this.setShown({ ...this.shown, status: 'failed', error: error instanceof Error ? error.message : String(error) });
      },
    );
  }

  /** The picture's text boxes onto the canvas, keeping the ids of boxes that line up. */
  private putBoxes(fresh = false): void {
    const { sample, picture } = this.session.getSnapshot();
    const boxes = sample && this.size ? pictureBoxes(sample, picture, this.sizeOf) : [];
    const previous: readonly EditableBox[] = fresh ? [] : this.controller.getBoxes();
    const next = canvasBoxes(boxes, previous, () => crypto.randomUUID());
    this.ids = next.map((box) => box.id);
    this.controller.setBoxes(this.shown.key, next);
  }

  private canvasChanged(change: BoxChange): void {
    if (change.cause === 'load' || change.imageKey !== this.shown.key || !this.size) return;
    const snapshot = this.session.getSnapshot();
    if (!snapshot.sample) return;
    const edit = applyCanvasBoxes(snapshot.sample, snapshot.picture, this.size, this.sizeOf, this.ids, change.boxes, snapshot.caret);
    this.ids = edit.ids;
    // The end of a drag changes nothing more, but it is what commits the drag's edits.
    if (edit.sample === snapshot.sample && change.pending) return;
    this.session.edit(edit.sample, 'canvas', { pending: change.pending, caret: edit.cursor });
  }

  private setShown(shown: ShownPicture): void {
    this.shown = shown;
    for (const listener of this.listeners) listener(shown);
  }
}
