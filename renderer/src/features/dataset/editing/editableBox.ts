import type { PixelBox } from '../../../../../shared/dataset/coordinates';

/** A box being edited on one image: float pixels of the original image, as training sees it. */
export interface EditableBox {
  readonly id: string;
  /** The `<ref>` text the box grounds. */
  readonly label: string;
  readonly box: Readonly<PixelBox>;
  /** Not drawn and not hit; still exported. */
  readonly hidden: boolean;
  /** Can be selected and relabelled, but not moved, resized, nudged or deleted. */
  readonly locked: boolean;
}

/** A box's label and place without its identity: what copy and paste carry. */
export interface LabelledBox {
  readonly label: string;
  readonly box: Readonly<PixelBox>;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Compass names: a corner moves two edges, a side one. */
export type ResizeHandle = 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w' | 'nw';

export const RESIZE_HANDLES: readonly ResizeHandle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];
