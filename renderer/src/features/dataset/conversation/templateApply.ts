// Templates turn a sample's boxes into turns (shared/dataset/templates.ts): the user's question
// and the assistant's `<ref>…</ref><box>…</box>` answer. The sample keeps its id and review flag.

import type { ImageSize } from '../../../../../shared/dataset/coordinates';
import type { EditableSample } from '../../../../../shared/dataset/sampleModel';
import { viewSample } from '../../../../../shared/dataset/sampleModel';
import type { SampleTemplate } from '../../../../../shared/dataset/templates';
import { buildSamples } from '../../../../../shared/dataset/templates';

export type TemplateOutcome =
  | { ok: true; sample: EditableSample; boxes: number; unlabeled: number }
  | { ok: false; reason: 'pictures' | 'size' | 'no-boxes' | 'unusable'; detail?: string };

/**
 * The sample's conversation rewritten by `template` from the boxes of its one picture. Boxes
 * without a label are left out (a template asks about labels); samples with several pictures
 * are left alone, since a template speaks of one image.
 */
export function applyTemplate(sample: EditableSample, template: SampleTemplate, sizeOf: (path: string) => ImageSize | undefined): TemplateOutcome {
  const view = viewSample(sample, sizeOf);
  const picture = view.images[0];
  if (!picture || view.images.length !== 1) return { ok: false, reason: 'pictures' };
  const size = sizeOf(picture.path);
  if (!size) return { ok: false, reason: 'size' };
  const labelled = view.boxes.filter((box) => box.image === 0 && box.pixels !== null && box.label);
  const unlabeled = view.boxes.filter((box) => box.image === 0 && !box.label).length;
  if (labelled.length === 0) return { ok: false, reason: 'no-boxes' };
  const built = buildSamples([{ image: picture.path, size, boxes: labelled.map((box) => ({ label: box.label as string, box: box.pixels as NonNullable<typeof box.pixels> })) }], template);
  const made = built.samples[0];
  if (!made) return { ok: false, reason: 'unusable', detail: built.problems.map((problem) => problem.message).join(' ') };
  return { ok: true, sample: { ...sample, turns: made.conversations.map(({ from, value }) => ({ from, value })) }, boxes: built.boxes, unlabeled };
}
