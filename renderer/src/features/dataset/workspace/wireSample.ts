import type { JsonValue } from '../../../../../shared/dataset/jsonSource';
import type { EditableSample } from '../../../../../shared/dataset/sampleModel';
import type { WireSample } from '../../../../../shared/dataset/workspaceApi';

/** A sample as the main process sent it (no origin: the main process keeps the file's text). */
export function sampleFromWire(wire: WireSample): EditableSample {
  return {
    id: wire.id as JsonValue | undefined,
    turns: wire.turns.map(({ from, value, pixelHints }) => (pixelHints ? { from, value, pixelHints } : { from, value })),
    reviewed: wire.reviewed,
  };
}

/** What an edit sends back; the pixel hints go too, so a reload shows the exact float boxes. */
export function sampleToWire(sample: EditableSample): WireSample {
  return {
    ...(sample.id !== undefined && { id: sample.id }),
    turns: sample.turns.map(({ from, value, pixelHints }) => (pixelHints?.length ? { from, value, pixelHints: pixelHints.map((hint) => ({ start: hint.start, coords: { ...hint.coords }, pixels: { ...hint.pixels } })) } : { from, value })),
    reviewed: sample.reviewed,
  };
}
