import type { EditableSample } from '../../../../../shared/dataset/sampleModel';
import { sampleRecordText } from '../../../../../shared/dataset/sampleRecord';
import type { SampleRecordSource } from '../../../../../shared/dataset/workspaceApi';
import { sampleToWire } from '../workspace/wireSample';

/**
 * The sample as the saved dataset file will hold it, byte for byte: its original lines where it
 * is unedited, the edited members spliced in the file's own style, unknown fields kept.
 */
export function samplePreview(sample: EditableSample, record: SampleRecordSource): string {
  return sampleRecordText(sampleToWire(sample), record);
}
