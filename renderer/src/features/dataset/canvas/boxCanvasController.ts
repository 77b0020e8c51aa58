// The box canvas, outside React: it owns a <canvas>, the editing model of the image shown, the
// view and the pointer and keyboard. React mounts it once and hears about committed results;
// pointer moves change the model (announced synchronously, so a JSON preview can follow in the
// same frame) and schedule one repaint per animation frame, never a React render.

import type { ImageSize, PixelBox } from '../../../../../shared/dataset/coordinates';
import { isMac } from '../../shell/shortcuts';
import { boxFromCorners, boxHeight, boxWidth, clampPoint, MIN_BOX_PX, moveBox, resizeBox } from '../editing/boxGeometry';
import { BoxEditor } from '../editing/boxEditor';
import type { BoxChange, BoxChangeListener } from '../editing/boxEditor';
import type { EditableBox, LabelledBox, Point, ResizeHandle } from '../editing/editableBox';
import { HIT_TOLERANCE_PX, hitTest, NO_HIT } from '../editing/hitTest';
import type { BoxHit } from '../editing/hitTest';
import {
  boxToScreen,
  fitView,
  IDENTITY_VIEW,
  keepImageInView,
  panBy,
  screenToImage,
  wheelZoomFactor,
  zoomBy,
  zoomLimits,
  zoomTo,
} from '../editing/viewTransform';
import type { Viewport, ViewTransform } from '../editing/viewTransform';
import { paintScene } from './boxCanvasPainter';
import { BoxListView } from './boxListView';
import type { DescribeBox } from './boxListView';
import { commandForKey } from './canvasKeymap';
import type { CanvasCommand, CanvasIntent } from './canvasKeymap';
import { readCanvasTheme } from './canvasTheme';
import type { CanvasTheme } from './canvasTheme';
import { colorOfLabel } from './labelPalette';
import type { CanvasLabel } from './labelPalette';

export interface CanvasStrings {
  /** The canvas's accessible name. */
  readonly canvas: string;
  readonly boxList: string;
  readonly unlabeled: string;
  readonly describeBox: DescribeBox;
  readonly added: (label: string) => string;
  readonly deleted: (count: number) => string;
  readonly lockedKept: string;
  readonly pasted: (count: number) => string;
  readonly copied: (count: number) => string;
  readonly undone: string;
  readonly redone: string;
  readonly drawOn: string;
  readonly drawOff: string;
}

export type CanvasMode = 'draw' | 'edit';

/** The little that React shows about the canvas; it changes on commands, never on pointer moves. */
export interface CanvasState {
  readonly mode: CanvasMode;
  /** The label new boxes get. */
  readonly currentLabel: string | null;
  readonly selectedId: string | null;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** The image's EXIF orientation; not 1 means training sees it turned from how viewers show it. */
  readonly exifOrientation: number;
}

export interface BoxCanvasOptions {
  strings: CanvasStrings;
  labels?: readonly CanvasLabel[];
  createId?: () => string;
}

type Gesture =
  | { kind: 'pan'; pointerId: number; from: Point; startView: ViewTransform }
  | { kind: 'draw'; pointerId: number; anchor: Point; pressedAt: Point; boxId: string | null; awaitingSecondClick: boolean }
  | { kind: 'move'; pointerId: number; id: string; grab: Point; start: PixelBox }
  | { kind: 'resize'; pointerId: number; id: string; handle: ResizeHandle; start: PixelBox };

/** A press that moves less than this is a click: in draw mode, the first of two corners. */
const CLICK_SLOP_PX = 4;
/** A drawn box thinner than this on screen was a slip of the hand, not a box. */
const MIN_DRAWN_SCREEN_PX = 4;

const HANDLE_CURSORS: Record<ResizeHandle, string> = { n: 'ns-resize', s: 'ns-resize', e: 'ew-resize', w: 'ew-resize', ne: 'nesw-resize', sw: 'nesw-resize', nw: 'nwse-resize', se: 'nwse-resize' };

/** Commands that leave the boxes alone, so they may run while the pointer is busy. */
function leavesBoxesAlone(command: CanvasCommand): boolean {
  return ['escape', 'zoom', 'fit', 'actualSize', 'pickLabel'].includes(command.kind) || (command.kind === 'intent' && command.intent === 'help');
}

export class BoxCanvasController {
  /** The model of the image shown; the screen may run commands on it (relabel from a list, …). */
  readonly editor: BoxEditor;
  private readonly root: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly boxList: BoxListView;
  private readonly mac = isMac(navigator.platform);
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;
  private readonly stateListeners = new Set<(state: CanvasState) => void>();
  private readonly viewListeners = new Set<(view: ViewTransform) => void>();
  private readonly intentListeners = new Set<(intent: CanvasIntent) => void>();
  private readonly detachEditor: () => void;
  private strings: CanvasStrings;
  private labels: readonly CanvasLabel[];
  private theme: CanvasTheme;
  private image: CanvasImageSource | null = null;
  /** The image drawn (setImage), which its boxes (setBoxes) may follow or precede. */
  private imageKey = '';
  private imageSize: ImageSize = { width: 0, height: 0 };
  private exifOrientation = 1;
  private viewport: Viewport = { width: 0, height: 0 };
  private view: ViewTransform = IDENTITY_VIEW;
  /** Until the user zooms or pans, a resize refits the image. */
  private fitted = true;
  private state: CanvasState;
  private gesture: Gesture | null = null;
  private pointer: Point | null = null;
  private hover: BoxHit = NO_HIT;
  private spaceHeld = false;
  private nudgeSession = 0;
  private clipboard: { boxes: LabelledBox[]; size: ImageSize } | null = null;
  private previousImage: { boxes: LabelledBox[]; size: ImageSize } | null = null;
  private frame = 0;
  private unwatchPixelRatio: () => void = () => undefined;

  constructor(host: HTMLElement, options: BoxCanvasOptions) {
    this.strings = options.strings;
    this.labels = options.labels ?? [];
    this.editor = new BoxEditor({ createId: options.createId });
    this.state = { mode: 'edit', currentLabel: this.labels[0]?.name ?? null, selectedId: null, canUndo: false, canRedo: false, exifOrientation: 1 };

    this.root = document.createElement('div');
    this.root.className = 'box-stage';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'box-stage__canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'application');
    this.root.append(this.canvas);
    this.boxList = new BoxListView(this.root);
    host.append(this.root);
    const context = this.canvas.getContext('2d');
    if (!context) throw new Error('This browser has no 2D canvas.');
    this.context = context;
    this.theme = readCanvasTheme(this.root);
    this.applyStrings();

    this.detachEditor = this.editor.onChange((change) => this.editorChanged(change));
    this.canvas.addEventListener('pointerdown', this.onPointerDown);
    this.canvas.addEventListener('pointermove', this.onPointerMove);
    this.canvas.addEventListener('pointerup', this.onPointerUp);
    this.canvas.addEventListener('pointercancel', this.onPointerCancel);
    this.canvas.addEventListener('pointerleave', this.onPointerLeave);
    this.canvas.addEventListener('wheel', this.onWheel, { passive: false });
    this.canvas.addEventListener('keydown', this.onKeyDown);
    this.canvas.addEventListener('keyup', this.onKeyUp);
    this.canvas.addEventListener('blur', this.onBlur);
    this.resizeObserver = new ResizeObserver(() => this.measure());
    this.resizeObserver.observe(this.root);
    // Colours come from the theme's CSS variables: a theme switch repaints with the new ones.
    this.themeObserver = new MutationObserver(() => {
      this.theme = readCanvasTheme(this.root);
      this.requestPaint();
    });
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.watchPixelRatio();
    this.measure();
  }

  // ── What the screen calls ──────────────────────────────────────────────────────────────────

  /**
   * The image `imageKey` (as setBoxes names it) to draw on, decoded as training sees it (see
   * trainingImage.ts); null while it decodes. The canvas does not own it: the caller closes a
   * bitmap it no longer shows. A new size refits the view; an image of the same size keeps the
   * zoom, to compare frames. The size is that image's alone: the boxes still shown of the image
   * before keep theirs (for "paste the previous image's boxes") until setBoxes brings the new ones.
   */
  setImage(imageKey: string, source: CanvasImageSource | null, size: ImageSize, exifOrientation = 1): void {
    const resized = size.width !== this.imageSize.width || size.height !== this.imageSize.height;
    this.image = source;
    this.imageKey = imageKey;
    this.imageSize = size;
    this.exifOrientation = exifOrientation;
    if (imageKey === this.editor.imageKey) this.editor.setImageSize(size);
    if (resized) this.fit();
    this.publishState();
    this.requestPaint();
  }

  /**
   * The boxes of the image `imageKey` (unique in the dataset, e.g. record id and image index).
   * Coming back to an image whose boxes did not change elsewhere brings back its undo history.
   */
  setBoxes(imageKey: string, boxes: readonly EditableBox[]): void {
    if (imageKey !== this.editor.imageKey && this.editor.imageKey !== '') {
      this.previousImage = { boxes: this.editor.boxes.map(({ label, box }) => ({ label, box })), size: this.editor.size };
    }
    this.gesture = null;
    this.hover = NO_HIT;
    // Boxes of an image not given yet have no size until setImage brings it.
    this.editor.load(imageKey, imageKey === this.imageKey ? this.imageSize : { width: 0, height: 0 }, boxes);
    if (this.state.selectedId !== null && !this.editor.find(this.state.selectedId)) this.select(null);
  }

  setLabels(labels: readonly CanvasLabel[]): void {
    this.labels = labels;
    const current = this.state.currentLabel;
    if (current === null || !labels.some((label) => label.name === current)) this.publishState({ currentLabel: labels[0]?.name ?? null });
    this.requestPaint();
  }

  /** The label the next drawn box gets. */
  setCurrentLabel(name: string): void {
    this.publishState({ currentLabel: name });
  }

  setStrings(strings: CanvasStrings): void {
    this.strings = strings;
    this.applyStrings();
    this.renderList('all');
    this.requestPaint();
  }

  setDrawMode(on: boolean): void {
    if ((this.state.mode === 'draw') === on) return;
    if (!on && this.gesture?.kind === 'draw') this.cancelGesture();
    this.publishState({ mode: on ? 'draw' : 'edit' });
    this.boxList.announce(on ? this.strings.drawOn : this.strings.drawOff);
    this.updateCursor();
    this.requestPaint();
  }

  select(id: string | null): void {
    const known = id === null || this.editor.find(id) ? id : null;
    this.boxList.select(known);
    this.publishState({ selectedId: known });
    this.requestPaint();
  }

  undo(): boolean {
    const done = this.editor.undo();
    if (done) this.boxList.announce(this.strings.undone);
    return done;
  }

  redo(): boolean {
    const done = this.editor.redo();
    if (done) this.boxList.announce(this.strings.redone);
    return done;
  }

  fit(): void {
    this.setView(fitView(this.imageSize, this.viewport), true);
  }

  /** One image pixel per screen pixel, around the pointer (or the middle of the canvas). */
  actualSize(): void {
    this.setView(zoomTo(this.view, 1, this.anchor(), this.limits()));
  }

  zoomBy(factor: number): void {
    this.setView(zoomBy(this.view, factor, this.anchor(), this.limits()));
  }

  /** Pastes the boxes of the image shown before this one (the workflow's "previous image"). */
  pastePreviousImage(): number {
    return this.pasteFrom(this.previousImage);
  }

  /** Runs a key as if the canvas had focus; for screens that forward keys. True when handled. */
  handleKeyDown(event: KeyboardEvent): boolean {
    if (event.code === 'Space') {
      event.preventDefault();
      if (!this.spaceHeld) {
        this.spaceHeld = true;
        this.updateCursor();
      }
      return true;
    }
    const command = commandForKey(event, this.mac);
    if (!command) return false;
    event.preventDefault();
    this.run(command, event.repeat);
    return true;
  }

  focus(): void {
    this.canvas.focus({ preventScroll: true });
  }

  getState(): CanvasState {
    return this.state;
  }

  getView(): ViewTransform {
    return this.view;
  }

  getBoxes(): readonly EditableBox[] {
    return this.editor.boxes;
  }

  onChange(listener: BoxChangeListener): () => void {
    return this.editor.onChange(listener);
  }

  onStateChange(listener: (state: CanvasState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onViewChange(listener: (view: ViewTransform) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  /** Keys meant for the screen: previous/next image, mark reviewed, show the keys. */
  onIntent(listener: (intent: CanvasIntent) => void): () => void {
    this.intentListeners.add(listener);
    return () => this.intentListeners.delete(listener);
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.unwatchPixelRatio();
    this.detachEditor();
    this.stateListeners.clear();
    this.viewListeners.clear();
    this.intentListeners.clear();
    this.root.remove();
  }

  // ── Commands ───────────────────────────────────────────────────────────────────────────────

  private run(command: CanvasCommand, repeat: boolean): void {
    if (this.gesture && !leavesBoxesAlone(command)) {
      // Another key ends what the pointer is doing first; for undo, that is all it does.
      this.cancelGesture();
      if (command.kind === 'undo') return;
    }
    const selected = this.state.selectedId === null ? undefined : this.editor.find(this.state.selectedId);
    switch (command.kind) {
      case 'toggleDraw':
        return this.setDrawMode(this.state.mode !== 'draw');
      case 'escape':
        if (this.gesture) return this.cancelGesture();
        if (this.state.mode === 'draw') return this.setDrawMode(false);
        return this.select(null);
      case 'delete':
        return this.deleteSelected(selected, command.force);
      case 'undo':
        this.undo();
        return;
      case 'redo':
        this.redo();
        return;
      case 'pickLabel':
        return this.pickLabel(command.index, selected);
      case 'toggleHidden':
        if (selected) this.editor.setHidden([selected.id], !selected.hidden);
        else this.editor.setHidden(this.editor.boxes.map((box) => box.id), this.editor.boxes.some((box) => !box.hidden));
        return;
      case 'toggleLocked':
        if (selected) this.editor.setLocked([selected.id], !selected.locked);
        return;
      case 'nudge':
        if (!repeat) this.nudgeSession++;
        if (selected) this.editor.nudge(selected.id, command.dx, command.dy, `nudge-${this.nudgeSession}`);
        return;
      case 'selectNext':
        return this.selectNext(command.step);
      case 'copy': {
        const boxes = selected ? [selected] : this.editor.boxes;
        this.clipboard = { boxes: boxes.map(({ label, box }) => ({ label, box })), size: this.editor.size };
        this.boxList.announce(this.strings.copied(boxes.length));
        return;
      }
      case 'paste':
        this.pasteFrom(this.clipboard);
        return;
      case 'pastePrevious':
        this.pastePreviousImage();
        return;
      case 'fit':
        return this.fit();
      case 'actualSize':
        return this.actualSize();
      case 'zoom':
        return this.zoomBy(command.factor);
      case 'intent':
        for (const listener of this.intentListeners) listener(command.intent);
        return;
    }
  }

  private deleteSelected(selected: EditableBox | undefined, force: boolean): void {
    if (!selected) return;
    if (this.editor.remove([selected.id], force) > 0) {
      this.select(null);
      this.boxList.announce(this.strings.deleted(1));
    } else if (selected.locked) {
      this.boxList.announce(this.strings.lockedKept);
    }
  }

  /** A digit labels the selected box (or the one being drawn) and the boxes drawn after it. */
  private pickLabel(index: number, selected: EditableBox | undefined): void {
    const label = this.labels[index]?.name;
    if (label === undefined) return;
    const target = this.gesture?.kind === 'draw' ? this.gesture.boxId : (selected?.id ?? null);
    if (target !== null) this.editor.relabel(target, label);
    this.publishState({ currentLabel: label });
  }

  private selectNext(step: 1 | -1): void {
    const visible = this.editor.boxes.filter((box) => !box.hidden);
    if (visible.length === 0) return;
    const at = visible.findIndex((box) => box.id === this.state.selectedId);
    const next = at === -1 ? (step === 1 ? 0 : visible.length - 1) : (at + step + visible.length) % visible.length;
    this.select(visible[next]?.id ?? null);
  }

  private pasteFrom(source: { boxes: readonly LabelledBox[]; size: ImageSize } | null): number {
    if (!source || source.boxes.length === 0) return 0;
    const pasted = this.editor.paste(source.boxes, source.size);
    const last = pasted.at(-1);
    if (last) this.select(last.id);
    this.boxList.announce(this.strings.pasted(pasted.length));
    return pasted.length;
  }

  // ── Pointer ────────────────────────────────────────────────────────────────────────────────

  private readonly onPointerDown = (event: PointerEvent): void => {
    this.focus();
    const point = this.localPoint(event);
    this.pointer = point;
    if (this.gesture?.kind === 'draw' && this.gesture.awaitingSecondClick) {
      if (event.button === 0) this.finishDraw(point);
      return;
    }
    if (this.gesture) return;
    if (event.button === 1 || (event.button === 0 && this.spaceHeld)) {
      // The middle button would start the browser's autoscroll.
      event.preventDefault();
      this.startPan(event.pointerId, point);
    } else if (event.button === 0) {
      this.startEditing(event, point);
    } else {
      return;
    }
    this.canvas.setPointerCapture(event.pointerId);
    this.updateCursor();
  };

  private startEditing(event: PointerEvent, point: Point): void {
    const tolerance = event.pointerType === 'mouse' ? HIT_TOLERANCE_PX : 2 * HIT_TOLERANCE_PX;
    const hit = hitTest(this.editor.boxes, this.view, point, this.state.selectedId, tolerance);
    const image = screenToImage(this.view, point);
    if (hit.kind === 'handle') {
      const box = this.editor.find(hit.id);
      if (!box) return;
      this.editor.beginGesture();
      this.gesture = { kind: 'resize', pointerId: event.pointerId, id: hit.id, handle: hit.handle, start: box.box };
    } else if (this.state.mode === 'draw') {
      if (this.imageSize.width <= 0) return;
      this.editor.beginGesture();
      this.gesture = { kind: 'draw', pointerId: event.pointerId, anchor: clampPoint(image, this.imageSize), pressedAt: point, boxId: null, awaitingSecondClick: false };
    } else if (hit.kind === 'box') {
      this.select(hit.id);
      const box = this.editor.find(hit.id);
      if (!box || box.locked) return;
      this.editor.beginGesture();
      this.gesture = { kind: 'move', pointerId: event.pointerId, id: hit.id, grab: image, start: box.box };
    } else {
      // Dragging on empty space pans, as in image viewers.
      this.select(null);
      this.startPan(event.pointerId, point);
    }
  }

  private startPan(pointerId: number, point: Point): void {
    this.gesture = { kind: 'pan', pointerId, from: point, startView: this.view };
  }

  private readonly onPointerMove = (event: PointerEvent): void => {
    this.pointer = this.localPoint(event);
    if (this.gesture) this.followPointer(this.pointer);
    else this.updateHover(this.pointer);
    this.requestPaint();
  };

  /** Applies the pointer to the gesture under way; also after a zoom moved the image under it. */
  private followPointer(point: Point): void {
    const gesture = this.gesture;
    if (!gesture) return;
    const image = screenToImage(this.view, point);
    switch (gesture.kind) {
      case 'pan':
        this.setView(panBy(gesture.startView, point.x - gesture.from.x, point.y - gesture.from.y));
        return;
      case 'draw': {
        if (gesture.boxId === null && Math.hypot(point.x - gesture.pressedAt.x, point.y - gesture.pressedAt.y) < CLICK_SLOP_PX) return;
        const box = boxFromCorners(gesture.anchor, clampPoint(image, this.imageSize));
        if (gesture.boxId === null) gesture.boxId = this.editor.add(box, this.state.currentLabel ?? '')?.id ?? null;
        else this.editor.setBox(gesture.boxId, box);
        return;
      }
      case 'move':
        this.editor.setBox(gesture.id, moveBox(gesture.start, image.x - gesture.grab.x, image.y - gesture.grab.y, this.imageSize));
        return;
      case 'resize':
        this.editor.setBox(gesture.id, resizeBox(gesture.start, gesture.handle, image, this.imageSize));
        return;
    }
  }

  private readonly onPointerUp = (event: PointerEvent): void => {
    const gesture = this.gesture;
    if (!gesture || gesture.pointerId !== event.pointerId) return;
    const point = this.localPoint(event);
    if (gesture.kind === 'draw') {
      if (gesture.awaitingSecondClick) return;
      // A click without a drag is the first corner; the box follows the pointer to the second.
      if (gesture.boxId === null) gesture.awaitingSecondClick = true;
      else this.finishDraw(point);
      return;
    }
    this.gesture = null;
    if (gesture.kind !== 'pan') this.editor.commitGesture();
    this.updateHover(point);
  };

  private readonly onPointerCancel = (event: PointerEvent): void => {
    if (this.gesture?.pointerId === event.pointerId) this.cancelGesture();
  };

  private readonly onPointerLeave = (): void => {
    if (this.gesture && !(this.gesture.kind === 'draw' && this.gesture.awaitingSecondClick)) return;
    this.pointer = null;
    this.hover = NO_HIT;
    this.requestPaint();
  };

  private readonly onWheel = (event: WheelEvent): void => {
    event.preventDefault();
    this.pointer = this.localPoint(event);
    this.setView(zoomBy(this.view, wheelZoomFactor(event.deltaY, event.deltaMode), this.pointer, this.limits()));
    // A pan goes on from the zoomed view; a box being drawn or dragged follows the image under the pointer.
    if (this.gesture?.kind === 'pan') this.gesture = { ...this.gesture, from: this.pointer, startView: this.view };
    else if (this.gesture) this.followPointer(this.pointer);
  };

  private finishDraw(point: Point): void {
    const gesture = this.gesture;
    if (gesture?.kind !== 'draw') return;
    this.followPointer(point);
    this.gesture = null;
    const drawn = gesture.boxId === null ? undefined : this.editor.find(gesture.boxId);
    const screen = drawn && boxToScreen(this.view, drawn.box);
    const bigEnough =
      drawn && screen && boxWidth(drawn.box) >= MIN_BOX_PX && boxHeight(drawn.box) >= MIN_BOX_PX && boxWidth(screen) >= MIN_DRAWN_SCREEN_PX && boxHeight(screen) >= MIN_DRAWN_SCREEN_PX;
    if (!drawn || !bigEnough) {
      this.editor.cancelGesture();
      return;
    }
    this.editor.commitGesture();
    this.select(drawn.id);
    this.boxList.announce(this.strings.added(drawn.label || this.strings.unlabeled));
  }

  private cancelGesture(): void {
    const gesture = this.gesture;
    this.gesture = null;
    if (gesture?.kind === 'pan') return;
    this.editor.cancelGesture();
    this.updateCursor();
    this.requestPaint();
  }

  // ── Keyboard ───────────────────────────────────────────────────────────────────────────────

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    this.handleKeyDown(event);
  };

  private readonly onKeyUp = (event: KeyboardEvent): void => {
    if (event.code !== 'Space') return;
    this.spaceHeld = false;
    this.updateCursor();
  };

  private readonly onBlur = (): void => {
    this.spaceHeld = false;
    this.updateCursor();
  };

  // ── View, state and painting ───────────────────────────────────────────────────────────────

  private localPoint(event: MouseEvent): Point {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private anchor(): Point {
    return this.pointer ?? { x: this.viewport.width / 2, y: this.viewport.height / 2 };
  }

  private limits() {
    return zoomLimits(this.imageSize, this.viewport);
  }

  /** A view the user chose stays partly on the image; only fit() leaves it fitted. */
  private setView(view: ViewTransform, fitted = false): void {
    this.fitted = fitted;
    this.view = fitted ? view : keepImageInView(view, this.imageSize, this.viewport);
    for (const listener of this.viewListeners) listener(this.view);
    this.requestPaint();
  }

  /** A resized canvas refits a fitted image, and otherwise keeps what was in its middle there. */
  private measure(): void {
    const viewport = { width: this.root.clientWidth, height: this.root.clientHeight };
    const before = this.viewport;
    if (viewport.width === before.width && viewport.height === before.height) return;
    this.viewport = viewport;
    if (this.fitted) this.fit();
    else this.setView(panBy(this.view, (viewport.width - before.width) / 2, (viewport.height - before.height) / 2));
  }

  private watchPixelRatio(): void {
    // A window moved to a screen of another density: repaint with the backing store resized.
    const query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    const changed = () => {
      this.requestPaint();
      this.watchPixelRatio();
    };
    query.addEventListener('change', changed, { once: true });
    this.unwatchPixelRatio = () => query.removeEventListener('change', changed);
  }

  private applyStrings(): void {
    this.canvas.setAttribute('aria-label', this.strings.canvas);
    this.boxList.setLabel(this.strings.boxList);
  }

  private editorChanged(change: BoxChange): void {
    this.renderList(change.cause === 'load' ? 'all' : change.changed);
    if (!change.pending && this.state.selectedId !== null && !this.editor.find(this.state.selectedId)) this.select(null);
    this.publishState();
    this.requestPaint();
  }

  private renderList(changed: readonly string[] | 'all'): void {
    this.boxList.render(this.editor.boxes, this.editor.size, this.strings.describeBox, this.strings.unlabeled, changed);
  }

  private publishState(patch: Partial<CanvasState> = {}): void {
    const next: CanvasState = {
      ...this.state,
      canUndo: this.editor.canUndo,
      canRedo: this.editor.canRedo,
      exifOrientation: this.exifOrientation,
      ...patch,
    };
    const keys = Object.keys(next) as (keyof CanvasState)[];
    if (keys.every((key) => next[key] === this.state[key])) return;
    this.state = next;
    for (const listener of this.stateListeners) listener(next);
  }

  private updateHover(point: Point): void {
    const hover = hitTest(this.editor.boxes, this.view, point, this.state.selectedId);
    this.hover = hover;
    this.updateCursor();
  }

  private updateCursor(): void {
    const gesture = this.gesture;
    const hover = this.hover;
    let cursor = 'default';
    if (gesture?.kind === 'pan') cursor = 'grabbing';
    else if (this.spaceHeld && !gesture) cursor = 'grab';
    else if (gesture?.kind === 'move') cursor = 'move';
    else if (gesture?.kind === 'resize') cursor = HANDLE_CURSORS[gesture.handle];
    else if (gesture?.kind === 'draw' || (this.state.mode === 'draw' && hover.kind !== 'handle')) cursor = 'crosshair';
    else if (hover.kind === 'handle') cursor = HANDLE_CURSORS[hover.handle];
    else if (hover.kind === 'box') cursor = this.editor.find(hover.id)?.locked ? 'pointer' : 'move';
    if (this.canvas.style.cursor !== cursor) this.canvas.style.cursor = cursor;
  }

  private requestPaint(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.paint();
      });
    }
  }

  private paint(): void {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.viewport.width * ratio));
    const height = Math.max(1, Math.round(this.viewport.height * ratio));
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    const hoverId = this.hover.kind === 'none' ? null : this.hover.id;
    paintScene(this.context, {
      viewport: this.viewport,
      pixelRatio: ratio,
      view: this.view,
      theme: this.theme,
      image: this.image,
      imageSize: this.imageSize,
      boxes: this.editor.boxes,
      selectedId: this.state.selectedId,
      hoverId,
      colorOf: (label) => colorOfLabel(this.labels, label),
      unlabeled: this.strings.unlabeled,
      crosshair: this.crosshair(),
    });
  }

  /** Shown while drawing: where the pointer is, in whole image pixels, and the size being drawn. */
  private crosshair(): { point: Point; readout: string } | null {
    const point = this.pointer;
    const gesture = this.gesture;
    const drawing = gesture?.kind === 'draw' || gesture?.kind === 'resize';
    if (!point || this.imageSize.width <= 0 || this.imageSize.height <= 0 || (this.state.mode !== 'draw' && !drawing)) return null;
    const image = clampPoint(screenToImage(this.view, point), this.imageSize);
    const at = `${Math.min(Math.floor(image.x), this.imageSize.width - 1)}, ${Math.min(Math.floor(image.y), this.imageSize.height - 1)}`;
    const id = gesture?.kind === 'draw' ? gesture.boxId : gesture?.kind === 'resize' ? gesture.id : null;
    const box = id === null ? undefined : this.editor.find(id)?.box;
    return { point, readout: box ? `${at} · ${Math.round(boxWidth(box))} × ${Math.round(boxHeight(box))}` : at };
  }
}
