import type { ExportMessage, ExportResult } from './exportTurns';
import { exportMessages } from './exportTurns';
import type { QwenSample } from './qwenJson';

/**
 * ms-swift's grounding format: `<ref-object>` and `<bbox>` placeholders in the text, filled in
 * order from `objects.ref` and `objects.bbox`, so ms-swift writes each model's own box syntax and
 * scale. Boxes are given as `norm1` (fractions of the image: the Qwen-VL integer / 1000), which
 * needs no image size and which ms-swift scales back to exactly the same integers for Qwen-VL.
 * `<quad>` has no ms-swift counterpart and stays as written.
 */
export interface SwiftObjects {
  ref: string[];
  bbox: number[][];
  bbox_type: 'norm1';
}

export interface SwiftRecord {
  messages: ExportMessage[];
  images: string[];
  objects?: SwiftObjects;
}

const RESERVED = ['<image>', '<video>', '<audio>', '<ref-object>', '<bbox>'];

export function toSwift(samples: readonly QwenSample[]): ExportResult<SwiftRecord> {
  const result: ExportResult<SwiftRecord> = { records: [], problems: [] };
  for (const sample of samples) {
    const objects: SwiftObjects = { ref: [], bbox: [], bbox_type: 'norm1' };
    const converted = exportMessages(sample, RESERVED, (segment, written) => {
      if (segment.kind === 'ref') {
        objects.ref.push(segment.label);
        return '<ref-object>';
      }
      if (segment.kind === 'box' && segment.coords) {
        const { x1, y1, x2, y2 } = segment.coords;
        objects.bbox.push([x1, y1, x2, y2].map((value) => value / 1000));
        return '<bbox>';
      }
      return written;
    });
    if ('error' in converted) {
      result.problems.push({ id: sample.id, message: converted.error });
      continue;
    }
    const { messages, images } = converted;
    result.records.push(objects.ref.length || objects.bbox.length ? { messages, images, objects } : { messages, images });
  }
  return result;
}

/**
 * JSON Lines, one record a line. `objects` is written as a JSON string: ms-swift loads it back
 * with json.loads, and as a nested value PyArrow would have to agree on one schema for every
 * line (an empty `ref` list has none).
 */
export function swiftJsonlText(records: readonly SwiftRecord[]): string {
  return records.map((record) => `${JSON.stringify(record.objects ? { ...record, objects: JSON.stringify(record.objects) } : record)}\n`).join('');
}
