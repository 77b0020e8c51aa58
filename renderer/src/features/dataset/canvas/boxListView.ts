// What a screen reader (and an end-to-end test) reads instead of the pixels: a visually hidden
// list with each box's label and integer coordinates, in pixels and as the Qwen-VL file writes
// them, plus a polite status line that announces finished edits (never each pointer move).

import { boxToQwen } from '../../../../../shared/dataset/coordinates';
import type { ImageSize, PixelBox } from '../../../../../shared/dataset/coordinates';
import type { EditableBox } from '../editing/editableBox';

export interface BoxDescription {
  readonly label: string;
  /** Rounded pixels of the original image. */
  readonly pixels: PixelBox;
  readonly qwen: PixelBox;
  readonly hidden: boolean;
  readonly locked: boolean;
}

export type DescribeBox = (box: BoxDescription) => string;

function describe(box: EditableBox, size: ImageSize, unlabeled: string): BoxDescription {
  const { x1, y1, x2, y2 } = box.box;
  return {
    label: box.label || unlabeled,
    pixels: { x1: Math.round(x1), y1: Math.round(y1), x2: Math.round(x2), y2: Math.round(y2) },
    qwen: boxToQwen(box.box, size),
    hidden: box.hidden,
    locked: box.locked,
  };
}

export class BoxListView {
  readonly list: HTMLOListElement;
  private readonly status: HTMLElement;
  private readonly items = new Map<string, HTMLLIElement>();
  private selectedId: string | null = null;
  private repeatMark = false;

  constructor(parent: HTMLElement) {
    this.list = document.createElement('ol');
    this.list.className = 'visually-hidden';
    this.status = document.createElement('div');
    this.status.className = 'visually-hidden';
    this.status.setAttribute('role', 'status');
    parent.append(this.list, this.status);
  }

  setLabel(label: string): void {
    this.list.setAttribute('aria-label', label);
  }

  /** Rewrites the items of `changed` ids, or all of them when boxes came or went or moved in order. */
  render(boxes: readonly EditableBox[], size: ImageSize, text: DescribeBox, unlabeled: string, changed: readonly string[] | 'all'): void {
    const sameOrder = boxes.length === this.items.size && boxes.every((box, i) => (this.list.children[i] as HTMLElement | undefined)?.dataset.boxId === box.id);
    if (!sameOrder || changed === 'all') {
      this.items.clear();
      this.list.replaceChildren(
        ...boxes.map((box) => {
          const item = document.createElement('li');
          item.dataset.boxId = box.id;
          this.items.set(box.id, item);
          this.write(item, box, size, text, unlabeled);
          return item;
        }),
      );
      return;
    }
    for (const id of changed) {
      const box = boxes.find((candidate) => candidate.id === id);
      const item = this.items.get(id);
      if (box && item) this.write(item, box, size, text, unlabeled);
    }
  }

  select(id: string | null): void {
    if (this.selectedId !== null) this.items.get(this.selectedId)?.removeAttribute('aria-current');
    this.selectedId = id;
    if (id !== null) this.items.get(id)?.setAttribute('aria-current', 'true');
  }

  /** The same message twice in a row is still announced: a no-break space tells them apart. */
  announce(message: string): void {
    this.repeatMark = !this.repeatMark;
    this.status.textContent = this.repeatMark ? message : `${message}\u00a0`;
  }

  private write(item: HTMLLIElement, box: EditableBox, size: ImageSize, text: DescribeBox, unlabeled: string): void {
    item.textContent = text(describe(box, size, unlabeled));
    if (box.id === this.selectedId) item.setAttribute('aria-current', 'true');
    else item.removeAttribute('aria-current');
  }
}
