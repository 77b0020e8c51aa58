import type { LocalizedText } from '../i18n/localizedText';
import { formatPicture } from './conversationCodec';
import type { PixelBox } from './coordinates';
import { DEFAULT_COORD_CEILING, boxToQwen, formatBox } from './coordinates';
import type { QwenSample, QwenTurn } from './export/qwenJson';
import type { ConversionProblem, ImportedImage } from './import/importTypes';
import { utf8ByteLength } from './utf8';
import { MAX_IMAGE_PATH_BYTES } from './validateDataset';

/**
 * Conversation templates: they turn an image and its boxes into Qwen-VL turns. A per-label
 * template asks about one label per user turn and answers with every box of that label, in the
 * order drawn; an all-boxes template asks once and answers with every box, grouped by label.
 */
export type TemplateKind = 'per-label' | 'all-boxes';

export interface SampleTemplate {
  id: string;
  name: LocalizedText;
  kind: TemplateKind;
  /** The user's words; in a per-label template `{label}` stands for the label. */
  prompt: string;
}

export const LABEL_PLACEHOLDER = '{label}';

export const SAMPLE_TEMPLATES: readonly SampleTemplate[] = [
  { id: 'grounding-zh', name: { zh: '逐类框出（中文）', en: 'Box each label (Chinese)' }, kind: 'per-label', prompt: '框出图中的{label}' },
  { id: 'grounding-en', name: { zh: '逐类框出（英文）', en: 'Box each label (English)' }, kind: 'per-label', prompt: 'Box the {label} in the image' },
  { id: 'describe-zh', name: { zh: '一次框出全部（中文）', en: 'Box everything at once (Chinese)' }, kind: 'all-boxes', prompt: '框出图中所有的物体' },
  { id: 'describe-en', name: { zh: '一次框出全部（英文）', en: 'Box everything at once (English)' }, kind: 'all-boxes', prompt: 'Box every object in the image' },
];

export const DEFAULT_TEMPLATE_ID = 'grounding-zh';

export function findTemplate(id: string): SampleTemplate | undefined {
  return SAMPLE_TEMPLATES.find((template) => template.id === id);
}

/** A template from the user's own prompt: per-label when it holds `{label}`, all-boxes otherwise. */
export function customTemplate(prompt: string): SampleTemplate | { error: string } {
  if (!prompt.trim()) return { error: 'the prompt is empty' };
  if (prompt.includes('<img>') || prompt.includes('</img>')) return { error: 'the prompt must not contain <img> or </img>: the template adds the image itself' };
  return { id: 'custom', name: { zh: '自定义', en: 'Custom' }, kind: prompt.includes(LABEL_PLACEHOLDER) ? 'per-label' : 'all-boxes', prompt };
}

/** Sample ids from the image file names (without extension), made unique with -2, -3… in order. */
export function sampleIds(images: readonly { image: string }[]): string[] {
  const taken = new Set<string>();
  return images.map(({ image }) => {
    const name = image.split('/').pop() ?? '';
    const stem = name.includes('.', 1) ? name.slice(0, name.lastIndexOf('.')) : name;
    const base = stem || 'image';
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  });
}

interface LabelGroup {
  label: string;
  boxes: PixelBox[];
}

/** The image's boxes on Qwen-VL's grid, grouped by label in order of first appearance. */
function groupOnGrid(image: ImportedImage, ceiling: number, problems: ConversionProblem[]): LabelGroup[] {
  const groups = new Map<string, PixelBox[]>();
  image.boxes.forEach(({ label, box }, index) => {
    const grid = boxToQwen(box, image.size, ceiling);
    if (grid.x1 >= grid.x2 || grid.y1 >= grid.y2) {
      problems.push({ severity: 'error', file: image.image, item: `box ${index + 1} (${label})`, message: `the box is narrower than one step of Qwen-VL's 0–${ceiling} grid and rounds to ${formatBox(grid)}: skipped` });
      return;
    }
    const group = groups.get(label);
    if (group) group.push(grid);
    else groups.set(label, [grid]);
  });
  return [...groups].map(([label, boxes]) => ({ label, boxes }));
}

function refBoxes(group: LabelGroup): string {
  return `<ref>${group.label}</ref>${group.boxes.map(formatBox).join('')}`;
}

/** The turns a template makes for one image whose path is already checked. */
function templateTurns(template: SampleTemplate, path: string, groups: readonly LabelGroup[]): QwenTurn[] {
  const picture = formatPicture(1, path);
  if (template.kind === 'all-boxes') {
    return [
      { from: 'user', value: picture + template.prompt },
      { from: 'assistant', value: groups.map(refBoxes).join('\n') },
    ];
  }
  return groups.flatMap((group, index): QwenTurn[] => [
    { from: 'user', value: (index === 0 ? picture : '') + template.prompt.replaceAll(LABEL_PLACEHOLDER, group.label) },
    { from: 'assistant', value: refBoxes(group) },
  ]);
}

export interface BuiltSamples {
  samples: QwenSample[];
  /** How many boxes the samples hold. */
  boxes: number;
  problems: ConversionProblem[];
}

/**
 * One sample per image that has boxes. Coordinates follow coordinates.ts (rounded and clamped to
 * the ceiling); a box that rounds to nothing is skipped, and an image whose path finetune.py
 * could not read (too long, or holding an <img> tag) is skipped, each with an error.
 */
export function buildSamples(images: readonly ImportedImage[], template: SampleTemplate, ceiling = DEFAULT_COORD_CEILING): BuiltSamples {
  const problems: ConversionProblem[] = [];
  const kept: Array<{ image: string; groups: LabelGroup[] }> = [];
  for (const image of images) {
    const bytes = utf8ByteLength(image.image);
    if (bytes > MAX_IMAGE_PATH_BYTES || image.image.includes('<img>') || image.image.includes('</img>')) {
      const why = bytes > MAX_IMAGE_PATH_BYTES ? `is ${bytes} UTF-8 bytes; finetune.py accepts at most ${MAX_IMAGE_PATH_BYTES} inside <img>…</img>` : 'contains an <img> tag';
      problems.push({ severity: 'error', file: image.image, item: '', message: `the image path ${why}: no sample made` });
      continue;
    }
    const groups = groupOnGrid(image, ceiling, problems);
    if (!groups.length) {
      problems.push({ severity: 'note', file: image.image, item: '', message: 'no boxes: no sample made' });
      continue;
    }
    kept.push({ image: image.image, groups });
  }
  const ids = sampleIds(kept);
  const samples = kept.map(({ image, groups }, index) => ({ id: ids[index] ?? image, conversations: templateTurns(template, image, groups) }));
  const boxes = kept.reduce((sum, { groups }) => sum + groups.reduce((inGroups, group) => inGroups + group.boxes.length, 0), 0);
  return { samples, boxes, problems };
}
