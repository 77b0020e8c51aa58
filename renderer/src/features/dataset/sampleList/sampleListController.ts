// The sample list, outside React: a listbox of fixed-height rows where only the rows in view (and
// a few around them) exist in the DOM, recycled as the list scrolls, repainted at most once per
// animation frame. Rows come from a RowStore (pages via dataset:rows), thumbnails from a
// ThumbnailLoader: asked for at most every THUMB_PASS_MS for the rows then in view (none while the
// list moves more than half its height per pass: they would arrive as their rows leave; rows show
// a grey placeholder meanwhile), and withdrawn when a row scrolls away.
// While the list skims (frame after frame moving it more than half its height, as a fling or a
// dragged scrollbar does) rows would each be on screen for one frame, too briefly to read, yet
// building them is most of such a frame's work: the list then shows placeholder rows painted by
// CSS, fetches nothing, and builds the real rows as soon as it slows down or stops.
// Selection follows the keyboard focus.

import type { SampleRow } from '../../../../../shared/dataset/workspaceApi';
import { scrollToReveal, visibleRows } from './listWindow';
import type { RowRange } from './listWindow';
import type { RowStore } from './rowStore';
import type { ThumbnailLoader } from './thumbnailLoader';

export const ROW_HEIGHT = 56;
/** Thumbnail box in CSS pixels. */
export const THUMB_SIZE = 44;
const OVERSCAN = 6;
/** How often, while the list moves, thumbnails are asked for the rows in view. */
const THUMB_PASS_MS = 100;
/** Moved more than this share of its height since the last pass, the list asks for no thumbnail
 * yet: its rows leave the view about when their thumbnails would arrive. */
const THUMB_MAX_MOVE_SHARE = 0.5;
/** A frame moving the list by more than this share of its height is a fast one. */
const FAST_SHARE = 0.5;
/** Fast frames in a row that make the list skim: one alone is a jump (PageDown, a click on the track), shown at once. */
const FAST_FRAMES_TO_SKIM = 2;
/** Skimming ends when no scroll came for this long. */
const SETTLE_MS = 80;

export interface ListStrings {
  readonly list: string;
  readonly loading: string;
  readonly noId: string;
  readonly noImage: string;
  /** The secondary line: image name, box count, labels. */
  readonly meta: (row: SampleRow) => string;
  readonly reviewed: string;
  /** Errors and warnings, short ("2 errors"). */
  readonly problems: (row: SampleRow) => string;
}

interface RowView {
  element: HTMLDivElement;
  thumb: HTMLImageElement;
  id: HTMLSpanElement;
  meta: HTMLSpanElement;
  badges: HTMLSpanElement;
  position: number;
  /** The row drawn into it (undefined while loading), to skip redrawing an unchanged row. */
  row: SampleRow | undefined;
  /** The image the row shows, and whether its thumbnail was asked for (or drawn). */
  thumbPath: string | null;
  thumbAsked: boolean;
  cancelThumb: () => void;
}

let listCount = 0;

export class SampleListController {
  private readonly viewport: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly idPrefix = `sample-list-${++listCount}`;
  private readonly views = new Map<number, RowView>();
  private readonly spare: RowView[] = [];
  private readonly resizeObserver: ResizeObserver;
  private store: RowStore | null = null;
  private strings: ListStrings;
  private selectedIndex: number | null = null;
  private frame = 0;
  private thumbTimer: ReturnType<typeof setTimeout> | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  /** scrollTop at the last thumbnail pass. */
  private thumbPassTop = 0;
  /** scrollTop at the last render, and how many renders in a row moved the list fast. */
  private renderedTop = 0;
  private fastFrames = 0;
  private skimming = false;
  private height = 0;
  private readonly selectListeners = new Set<(index: number) => void>();
  private readonly renderListeners = new Set<(range: RowRange) => void>();

  constructor(
    host: HTMLElement,
    private readonly thumbnails: ThumbnailLoader,
    strings: ListStrings,
  ) {
    this.strings = strings;
    this.viewport = document.createElement('div');
    this.viewport.className = 'sample-list';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'listbox');
    this.spacer = document.createElement('div');
    this.spacer.className = 'sample-list__spacer';
    this.viewport.append(this.spacer);
    host.append(this.viewport);
    this.viewport.setAttribute('aria-label', strings.list);
    this.viewport.addEventListener('scroll', this.onScroll, { passive: true });
    this.viewport.addEventListener('keydown', this.onKeyDown);
    this.spacer.addEventListener('click', this.onClick);
    this.resizeObserver = new ResizeObserver(() => {
      this.height = this.viewport.clientHeight;
      this.schedule();
    });
    this.resizeObserver.observe(this.viewport);
  }

  /** The rows to show (a new workspace or filter); the old store is the caller's to dispose. */
  setStore(store: RowStore | null): void {
    this.store = store;
    for (const view of this.views.values()) this.recycle(view);
    this.views.clear();
    this.spacer.style.height = `${(store?.length ?? 0) * ROW_HEIGHT}px`;
    this.viewport.scrollTop = 0;
    this.reveal();
    this.schedule();
  }

  /** The sample shown in the editor; it is scrolled into view. */
  setSelected(index: number | null): void {
    if (index === this.selectedIndex) return;
    this.selectedIndex = index;
    this.reveal();
    this.schedule();
  }

  setStrings(strings: ListStrings): void {
    this.strings = strings;
    this.viewport.setAttribute('aria-label', strings.list);
    for (const view of this.views.values()) view.row = undefined;
    this.schedule();
  }

  /** Rows arrived or changed: repaint the visible ones on the next frame. */
  refresh(): void {
    this.schedule();
  }

  onSelect(listener: (index: number) => void): () => void {
    this.selectListeners.add(listener);
    return () => this.selectListeners.delete(listener);
  }

  /** After each paint, with the rows that exist in the DOM (for the benchmark and tests). */
  onRender(listener: (range: RowRange) => void): () => void {
    this.renderListeners.add(listener);
    return () => this.renderListeners.delete(listener);
  }

  focus(): void {
    this.viewport.focus({ preventScroll: true });
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    if (this.thumbTimer) clearTimeout(this.thumbTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.resizeObserver.disconnect();
    for (const view of this.views.values()) view.cancelThumb();
    this.selectListeners.clear();
    this.renderListeners.clear();
    this.viewport.remove();
  }

  private readonly onScroll = (): void => this.schedule();

  private schedule(): void {
    if (this.frame === 0) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  private render(): void {
    const store = this.store;
    const top = this.viewport.scrollTop;
    this.fastFrames = Math.abs(top - this.renderedTop) > this.height * FAST_SHARE ? this.fastFrames + 1 : 0;
    this.renderedTop = top;
    this.setSkimming(store !== null && this.fastFrames >= FAST_FRAMES_TO_SKIM);
    if (this.skimming) {
      if (this.settleTimer) clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(this.settle, SETTLE_MS);
      return;
    }
    const range = store ? visibleRows(top, this.height, ROW_HEIGHT, store.length, OVERSCAN) : { first: 0, end: 0 };
    for (const [position, view] of this.views) {
      if (position < range.first || position >= range.end) {
        this.recycle(view);
        this.views.delete(position);
      }
    }
    if (store) {
      store.ensure(range);
      for (let position = range.first; position < range.end; position++) {
        let view = this.views.get(position);
        if (!view) {
          view = this.spare.pop() ?? this.createView();
          view.position = position;
          view.row = undefined;
          view.element.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
          view.element.id = `${this.idPrefix}-${position}`;
          view.element.setAttribute('aria-posinset', String(position + 1));
          view.element.setAttribute('aria-setsize', String(store.length));
          if (!view.element.isConnected) this.spacer.append(view.element);
          view.element.hidden = false;
          this.views.set(position, view);
          this.paintRow(view, store.rowAt(position), true);
        } else {
          this.paintRow(view, store.rowAt(position), false);
        }
        const selected = store.indexAt(position) === this.selectedIndex;
        if ((view.element.getAttribute('aria-selected') === 'true') !== selected) view.element.setAttribute('aria-selected', String(selected));
      }
    }
    const selectedPosition = store && this.selectedIndex !== null ? store.positionOf(this.selectedIndex) : -1;
    const active = this.views.get(selectedPosition);
    if (active) this.viewport.setAttribute('aria-activedescendant', active.element.id);
    else this.viewport.removeAttribute('aria-activedescendant');
    this.thumbTimer ??= setTimeout(this.askThumbnails, THUMB_PASS_MS);
    for (const listener of this.renderListeners) listener(range);
  }

  /** The list stopped (or slowed to where the last frame was its only fast one): real rows again. */
  private readonly settle = (): void => {
    this.settleTimer = null;
    this.schedule();
  };

  private setSkimming(on: boolean): void {
    if (on === this.skimming) return;
    this.skimming = on;
    this.viewport.classList.toggle('sample-list--skimming', on);
    this.viewport.setAttribute('aria-busy', String(on));
    if (!on) return;
    for (const view of this.views.values()) this.recycle(view);
    this.views.clear();
    this.viewport.removeAttribute('aria-activedescendant');
  }

  /** Thumbnails for the rows in view now (not the overscan: those may never be seen). */
  private readonly askThumbnails = (): void => {
    this.thumbTimer = null;
    const store = this.store;
    if (!store) return;
    const top = this.viewport.scrollTop;
    const moved = Math.abs(top - this.thumbPassTop);
    this.thumbPassTop = top;
    if (moved > this.height * THUMB_MAX_MOVE_SHARE) {
      this.thumbTimer = setTimeout(this.askThumbnails, THUMB_PASS_MS);
      return;
    }
    const inView = visibleRows(top, this.height, ROW_HEIGHT, store.length, 0);
    for (let position = inView.first; position < inView.end; position++) {
      const view = this.views.get(position);
      if (view && view.thumbPath !== null && !view.thumbAsked) this.askThumbnail(view, view.thumbPath);
    }
  };

  private createView(): RowView {
    const element = document.createElement('div');
    element.className = 'sample-row';
    element.setAttribute('role', 'option');
    const thumb = document.createElement('img');
    thumb.className = 'sample-row__thumb';
    thumb.alt = '';
    thumb.decoding = 'async';
    thumb.width = THUMB_SIZE;
    thumb.height = THUMB_SIZE;
    const text = document.createElement('span');
    text.className = 'sample-row__text';
    const id = document.createElement('span');
    id.className = 'sample-row__id';
    const meta = document.createElement('span');
    meta.className = 'sample-row__meta';
    text.append(id, meta);
    const badges = document.createElement('span');
    badges.className = 'sample-row__badges';
    element.append(thumb, text, badges);
    return { element, thumb, id, meta, badges, position: -1, row: undefined, thumbPath: null, thumbAsked: false, cancelThumb: () => undefined };
  }

  private recycle(view: RowView): void {
    view.cancelThumb();
    view.cancelThumb = () => undefined;
    view.thumbPath = null;
    view.thumbAsked = false;
    view.element.hidden = true;
    this.spare.push(view);
  }

  private paintRow(view: RowView, row: SampleRow | undefined, fresh: boolean): void {
    if (!fresh && row === view.row) return;
    view.row = row;
    const strings = this.strings;
    if (!row) {
      view.id.textContent = strings.loading;
      view.meta.textContent = '';
      view.badges.replaceChildren();
      view.element.dataset.index = '';
      this.setThumb(view, null);
      return;
    }
    view.element.dataset.index = String(row.index);
    view.id.textContent = row.id ?? strings.noId;
    view.meta.textContent = strings.meta(row);
    const badges: HTMLElement[] = [];
    if (row.reviewed) badges.push(badge('sample-row__badge sample-row__badge--reviewed', '✓', strings.reviewed));
    if (row.errors + row.warnings > 0) badges.push(badge(`sample-row__badge sample-row__badge--${row.errors > 0 ? 'error' : 'warning'}`, String(row.errors + row.warnings), strings.problems(row)));
    view.badges.replaceChildren(...badges);
    this.setThumb(view, row.image);
  }

  private setThumb(view: RowView, path: string | null): void {
    if (path === view.thumbPath && path !== null) return;
    view.cancelThumb();
    view.cancelThumb = () => undefined;
    view.thumbPath = path;
    view.thumbAsked = false;
    view.thumb.removeAttribute('src');
    // A thumbnail made before is drawn at once; others wait for the next pass over the rows in view.
    if (path !== null && this.thumbnails.cached(path) !== undefined) this.askThumbnail(view, path);
  }

  private askThumbnail(view: RowView, path: string): void {
    view.thumbAsked = true;
    view.cancelThumb = this.thumbnails.request(path, (url) => {
      if (view.thumbPath === path && url) view.thumb.src = url;
    });
  }

  private readonly onClick = (event: MouseEvent): void => {
    const element = (event.target as Element).closest<HTMLElement>('.sample-row');
    const index = element?.dataset.index;
    if (index) this.choose(Number(index));
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const store = this.store;
    if (!store || store.length === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const current = this.selectedIndex === null ? -1 : store.positionOf(this.selectedIndex);
    const page = Math.max(1, Math.floor(this.height / ROW_HEIGHT) - 1);
    let target: number;
    switch (event.key) {
      case 'ArrowDown':
        target = current + 1;
        break;
      case 'ArrowUp':
        target = current === -1 ? 0 : current - 1;
        break;
      case 'PageDown':
        target = current + page;
        break;
      case 'PageUp':
        target = current - page;
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = store.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    const index = store.indexAt(Math.min(Math.max(target, 0), store.length - 1));
    if (index !== undefined) this.choose(index);
  };

  private choose(index: number): void {
    this.setSelected(index);
    for (const listener of this.selectListeners) listener(index);
  }

  private reveal(): void {
    const store = this.store;
    if (!store || this.selectedIndex === null) return;
    const position = store.positionOf(this.selectedIndex);
    if (position === -1) return;
    const top = scrollToReveal(position, this.viewport.scrollTop, this.viewport.clientHeight, ROW_HEIGHT);
    if (top !== null) this.viewport.scrollTop = top;
  }
}

function badge(className: string, glyph: string, label: string): HTMLElement {
  const element = document.createElement('span');
  element.className = className;
  element.title = label;
  // The option's name is its text: the badge reads as its words, not as "✓" or "2".
  const shown = document.createElement('span');
  shown.setAttribute('aria-hidden', 'true');
  shown.textContent = glyph;
  const spoken = document.createElement('span');
  spoken.className = 'visually-hidden';
  spoken.textContent = ` ${label}`;
  element.append(shown, spoken);
  return element;
}
