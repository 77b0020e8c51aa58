import type { ImageSize, PixelBox } from '../coordinates';
import type { ProblemSink } from './importTypes';

/**
 * Qwen-VL's tokenizer turns these strings into special tokens wherever they appear, so a label
 * holding one would break the `<ref>…</ref>` around it.
 */
const SPECIAL_TOKENS = ['<ref>', '</ref>', '<box>', '</box>', '<quad>', '</quad>', '<img>', '</img>', '<imgpad>', '<|endoftext|>', '<|im_start|>', '<|im_end|>'];

/** Normalised formats (YOLO) round to a few decimals; overshoots this small are noise, not errors. */
const EDGE_NOISE = 1e-6;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A plain decimal number as text files write it; `Number()` alone would also take "", "0x1f", "Infinity". */
export function readDecimal(text: string | undefined): number | undefined {
  return text !== undefined && DECIMAL.test(text) ? Number(text) : undefined;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

function formatBox(box: PixelBox): string {
  return `(${formatNumber(box.x1)},${formatNumber(box.y1)})-(${formatNumber(box.x2)},${formatNumber(box.y2)})`;
}

/** A label as the dataset will write it, or undefined (reported) when it cannot be one. */
export function acceptLabel(raw: unknown, item: string, report: ProblemSink): string | undefined {
  if (typeof raw !== 'string') {
    report('error', item, 'the label is missing or not text: box skipped');
    return undefined;
  }
  const label = raw.trim();
  if (!label) {
    report('error', item, 'the label is empty: box skipped');
    return undefined;
  }
  const token = SPECIAL_TOKENS.find((special) => label.includes(special));
  if (token) {
    report('error', item, `the label "${label}" contains ${token}, a Qwen-VL special token: box skipped`);
    return undefined;
  }
  return label;
}

/** A usable image size (positive, finite), or undefined. */
export function acceptSize(width: unknown, height: unknown): ImageSize | undefined {
  if (typeof width !== 'number' || typeof height !== 'number') return undefined;
  if (!Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) return undefined;
  return { width, height };
}

function clampAxis(low: number, high: number, extent: number): [number, number] {
  return [Math.min(Math.max(low, 0), extent), Math.min(Math.max(high, 0), extent)];
}

/**
 * Checks a box already converted to pixel corners. Inverted and empty boxes are skipped (a guess
 * at what was meant would teach the model a wrong box); boxes reaching outside the image are
 * clamped to it with a warning. `source` says the box as the file wrote it.
 */
export function acceptBox(box: PixelBox, size: ImageSize, source: string, item: string, report: ProblemSink): PixelBox | undefined {
  const { x1, y1, x2, y2 } = box;
  if (![x1, y1, x2, y2].every(Number.isFinite)) {
    report('error', item, `${source}: the coordinates are not all numbers: box skipped`);
    return undefined;
  }
  if (x1 > x2 || y1 > y2) {
    report('error', item, `${source} is inverted (${x1 > x2 ? 'right edge left of the left edge' : 'bottom edge above the top edge'}): box skipped`);
    return undefined;
  }
  if (x1 === x2 || y1 === y2) {
    report('error', item, `${source} has zero area: box skipped`);
    return undefined;
  }
  const [cx1, cx2] = clampAxis(x1, x2, size.width);
  const [cy1, cy2] = clampAxis(y1, y2, size.height);
  const clamped = { x1: cx1, y1: cy1, x2: cx2, y2: cy2 };
  if (cx1 === cx2 || cy1 === cy2) {
    report('error', item, `${source} lies outside the ${size.width}×${size.height} image: box skipped`);
    return undefined;
  }
  const overshoot = Math.max(-x1 / size.width, -y1 / size.height, (x2 - size.width) / size.width, (y2 - size.height) / size.height);
  if (overshoot > EDGE_NOISE) {
    report('warning', item, `${source} reaches outside the ${size.width}×${size.height} image: clamped to ${formatBox(clamped)}`);
  }
  return clamped;
}
