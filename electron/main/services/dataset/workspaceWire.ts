/**
 * Samples on the wire. The screen gets a sample without its origin (the origin holds the whole
 * file's text and the JSON nodes); an edit comes back as a plain sample, which mergeWireSample
 * (shared/dataset/sampleMerge.ts) puts the origins back on.
 */

import type { EditableSample } from '../../../../shared/dataset/sampleModel';
import type { WireSample } from '../../../../shared/dataset/workspaceApi';

export function toWireSample(sample: EditableSample): WireSample {
  return {
    ...(sample.id !== undefined && { id: sample.id }),
    turns: sample.turns.map((turn) => ({ from: turn.from, value: turn.value, ...(turn.pixelHints?.length && { pixelHints: turn.pixelHints.map((hint) => ({ ...hint })) }) })),
    reviewed: sample.reviewed,
  };
}
