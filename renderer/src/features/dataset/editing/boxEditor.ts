// The boxes of the image being edited, as a value that every command replaces: each command is
// one undo step, a gesture (a drag) is one step however many moves it has, and every change is
// announced synchronously with what changed, so a preview can follow in the same frame.
// Each image keeps its own history while it stays among the recently edited ones.

import type { ImageSize, PixelBox } from '../../../../../shared/dataset/coordinates';
import { boxHeight, boxWidth, clampBox, MIN_BOX_PX, moveBox, sameBox, scaleBox } from './boxGeometry';
import { BoxHistory } from './boxHistory';
import type { EditableBox, LabelledBox } from './editableBox';

export type BoxChangeCause = 'load' | 'edit' | 'cancel' | 'undo' | 'redo';

export interface BoxChange {
  readonly imageKey: string;
  readonly size: ImageSize;
  readonly boxes: readonly EditableBox[];
  /** Boxes added or modified, by id. */
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly cause: BoxChangeCause;
  /** A gesture is still going: this is what the screen shows, not yet an undo step. */
  readonly pending: boolean;
}

export type BoxChangeListener = (change: BoxChange) => void;

export interface BoxEditorOptions {
  createId?: () => string;
  /** Undo steps kept per image. */
  historyLimit?: number;
  /** Images whose undo history survives moving to another image. */
  imagesKept?: number;
}

export const DEFAULT_HISTORY_LIMIT = 200;
export const DEFAULT_IMAGES_KEPT = 50;
/** A paste onto identical boxes moves by this share of the image, so the copy can be seen. */
const DUPLICATE_OFFSET = 0.02;

type Boxes = readonly EditableBox[];

interface ImageEdits {
  readonly key: string;
  size: ImageSize;
  boxes: Boxes;
  readonly history: BoxHistory<Boxes>;
}

function copyBoxes(boxes: Boxes): Boxes {
  return boxes.map((box) => ({ ...box, box: { ...box.box } }));
}

function sameEditableBox(a: EditableBox, b: EditableBox): boolean {
  return a.id === b.id && a.label === b.label && a.hidden === b.hidden && a.locked === b.locked && sameBox(a.box, b.box);
}

export function sameBoxList(a: Boxes, b: Boxes): boolean {
  return a.length === b.length && a.every((box, i) => {
    const other = b[i];
    return other !== undefined && sameEditableBox(box, other);
  });
}

export class BoxEditor {
  private readonly createId: () => string;
  private readonly historyLimit: number;
  private readonly imagesKept: number;
  private readonly images = new Map<string, ImageEdits>();
  private readonly listeners = new Set<BoxChangeListener>();
  private current: ImageEdits;
  private gestureStart: Boxes | null = null;

  constructor(options: BoxEditorOptions = {}) {
    this.createId = options.createId ?? (() => crypto.randomUUID());
    this.historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.imagesKept = options.imagesKept ?? DEFAULT_IMAGES_KEPT;
    this.current = this.newEdits('', { width: 0, height: 0 }, []);
  }

  get imageKey(): string {
    return this.current.key;
  }

  get size(): ImageSize {
    return this.current.size;
  }

  get boxes(): Boxes {
    return this.current.boxes;
  }

  get canUndo(): boolean {
    return this.gestureStart !== null || this.current.history.canUndo;
  }

  get canRedo(): boolean {
    return this.gestureStart === null && this.current.history.canRedo;
  }

  get inGesture(): boolean {
    return this.gestureStart !== null;
  }

  find(id: string): EditableBox | undefined {
    return this.current.boxes.find((box) => box.id === id);
  }

  onChange(listener: BoxChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Shows the boxes of the image `key`. The image's undo history comes back when its boxes are
   * those it was left with; boxes changed elsewhere meanwhile start a new history, since undoing
   * into a state the document no longer has would silently revert that change.
   */
  load(key: string, size: ImageSize, boxes: Boxes): void {
    this.gestureStart = null;
    const before = this.current.boxes;
    const kept = this.images.get(key);
    this.images.delete(key);
    const edits = kept && sameBoxList(kept.boxes, boxes) ? kept : this.newEdits(key, size, copyBoxes(boxes));
    edits.size = size;
    this.images.set(key, edits);
    for (const oldest of this.images.keys()) {
      if (this.images.size <= this.imagesKept) break;
      this.images.delete(oldest);
    }
    this.current = edits;
    this.emit(before, edits.boxes, 'load', { always: true });
  }

  /** The image's size arrived (or changed) after its boxes: later edits clamp to it. */
  setImageSize(size: ImageSize): void {
    this.current.size = size;
  }

  /** A new box, clamped to the image; null when no image with an area is loaded. */
  add(box: Readonly<PixelBox>, label: string): EditableBox | null {
    if (!this.hasArea()) return null;
    const created: EditableBox = { id: this.createId(), label, box: clampBox(box, this.current.size), hidden: false, locked: false };
    this.apply([...this.current.boxes, created]);
    return created;
  }

  /** Moves or resizes a box to `box` (clamped, normalised); a locked box stays. */
  setBox(id: string, box: Readonly<PixelBox>): boolean {
    return this.update([id], (current) => (current.locked ? current : { ...current, box: clampBox(box, this.current.size) }));
  }

  /** Moves a box by whole steps; successive nudges with one `coalesceKey` undo together. */
  nudge(id: string, dx: number, dy: number, coalesceKey?: string): boolean {
    return this.update([id], (current) => (current.locked ? current : { ...current, box: moveBox(current.box, dx, dy, this.current.size) }), coalesceKey);
  }

  relabel(id: string, label: string): boolean {
    return this.update([id], (current) => ({ ...current, label }));
  }

  setHidden(ids: readonly string[], hidden: boolean): boolean {
    return this.update(ids, (current) => ({ ...current, hidden }));
  }

  setLocked(ids: readonly string[], locked: boolean): boolean {
    return this.update(ids, (current) => ({ ...current, locked }));
  }

  /** Deletes the boxes; locked ones only with `force`. Returns how many went. */
  remove(ids: readonly string[], force = false): number {
    const doomed = new Set(ids);
    const kept = this.current.boxes.filter((box) => !doomed.has(box.id) || (box.locked && !force));
    const removed = this.current.boxes.length - kept.length;
    if (removed > 0) this.apply(kept);
    return removed;
  }

  /**
   * Adds copies of boxes from an image of size `from`, at the same place relative to the image
   * (the same Qwen-VL coordinates), with new ids; one undo step.
   */
  paste(boxes: readonly LabelledBox[], from: ImageSize): EditableBox[] {
    if (!this.hasArea() || from.width <= 0 || from.height <= 0) return [];
    const { size } = this.current;
    const sameSize = from.width === size.width && from.height === size.height;
    const offset = Math.max(1, Math.round(Math.min(size.width, size.height) * DUPLICATE_OFFSET));
    const created: EditableBox[] = [];
    for (const { label, box } of boxes) {
      let placed = clampBox(sameSize ? box : scaleBox(box, from, size), size);
      if (boxWidth(placed) < MIN_BOX_PX || boxHeight(placed) < MIN_BOX_PX) continue;
      if ([...this.current.boxes, ...created].some((other) => sameBox(other.box, placed))) placed = moveBox(placed, offset, offset, size);
      created.push({ id: this.createId(), label, box: placed, hidden: false, locked: false });
    }
    if (created.length > 0) this.apply([...this.current.boxes, ...created]);
    return created;
  }

  /** Until commit or cancel, edits change what is shown but record no undo step. */
  beginGesture(): void {
    if (this.gestureStart) this.commitGesture();
    this.gestureStart = this.current.boxes;
  }

  /** The whole gesture becomes one undo step (none if it changed nothing). */
  commitGesture(): void {
    const start = this.gestureStart;
    if (!start) return;
    this.gestureStart = null;
    if (start === this.current.boxes) return;
    this.current.history.record(start);
    this.emit(start, this.current.boxes, 'edit', { always: true });
  }

  /** Puts back the boxes from before the gesture. */
  cancelGesture(): void {
    const start = this.gestureStart;
    if (!start) return;
    this.gestureStart = null;
    const before = this.current.boxes;
    this.current.boxes = start;
    this.emit(before, start, 'cancel');
  }

  /** During a gesture, undo cancels it: what the user undoes is what they are drawing. */
  undo(): boolean {
    if (this.gestureStart) {
      this.cancelGesture();
      return true;
    }
    return this.travel(this.current.history.undo(this.current.boxes), 'undo');
  }

  redo(): boolean {
    if (this.gestureStart) return false;
    return this.travel(this.current.history.redo(this.current.boxes), 'redo');
  }

  private travel(target: Boxes | undefined, cause: 'undo' | 'redo'): boolean {
    if (!target) return false;
    const before = this.current.boxes;
    this.current.boxes = target;
    this.emit(before, target, cause);
    return true;
  }

  private hasArea(): boolean {
    return this.current.size.width > 0 && this.current.size.height > 0;
  }

  private newEdits(key: string, size: ImageSize, boxes: Boxes): ImageEdits {
    return { key, size, boxes, history: new BoxHistory<Boxes>(this.historyLimit) };
  }

  /** Replaces the boxes with these ids by `edit`'s result; an edit that changes nothing is no step. */
  private update(ids: readonly string[], edit: (box: EditableBox) => EditableBox, coalesceKey?: string): boolean {
    const targets = new Set(ids);
    let changed = false;
    const next = this.current.boxes.map((box) => {
      if (!targets.has(box.id)) return box;
      const edited = edit(box);
      if (sameEditableBox(edited, box)) return box;
      changed = true;
      return edited;
    });
    if (changed) this.apply(next, coalesceKey);
    return changed;
  }

  private apply(next: Boxes, coalesceKey?: string): void {
    const before = this.current.boxes;
    if (!this.gestureStart) this.current.history.record(before, coalesceKey);
    this.current.boxes = next;
    this.emit(before, next, 'edit', { pending: this.gestureStart !== null });
  }

  private emit(before: Boxes, after: Boxes, cause: BoxChangeCause, { always = false, pending = false } = {}): void {
    const previous = new Map(before.map((box) => [box.id, box]));
    const changed = after.filter((box) => previous.get(box.id) !== box).map((box) => box.id);
    const present = new Set(after.map((box) => box.id));
    const removed = before.filter((box) => !present.has(box.id)).map((box) => box.id);
    if (!always && changed.length === 0 && removed.length === 0) return;
    const change: BoxChange = { imageKey: this.current.key, size: this.current.size, boxes: after, changed, removed, cause, pending };
    for (const listener of this.listeners) listener(change);
  }
}
