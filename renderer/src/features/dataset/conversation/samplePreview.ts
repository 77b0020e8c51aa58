import type { JsonValue } from '../../../../../shared/dataset/jsonSource';
import { DEFAULT_JSON_STYLE, renderJsonValue } from '../../../../../shared/dataset/jsonStyle';
import type { EditableSample } from '../../../../../shared/dataset/sampleModel';

/**
 * The sample as a record of the dataset file: `id`, `conversations` with `from`/`value`, and
 * `"reviewed": true` when reviewed (finetune.py reads only the conversations), written by the
 * shared JSON writer the way json.dump(indent=2, ensure_ascii=False) writes it.
 */
export function samplePreview(sample: EditableSample): string {
  const record: { [key: string]: JsonValue } = {};
  if (sample.id !== undefined) record.id = sample.id;
  record.conversations = sample.turns.map((turn) => ({ from: turn.from, value: turn.value }));
  if (sample.reviewed) record.reviewed = true;
  return renderJsonValue(record, DEFAULT_JSON_STYLE, '');
}
