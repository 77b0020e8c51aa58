/**
 * A sample's record exactly as the saved file will hold it. Saving rewrites only what changed and
 * writes it in the file's own style (jsonStyle.ts, jsonSplice.ts), so a preview cannot simply
 * format the sample: it runs the save on the sample's original entry. The workspace sends the
 * entry and the file's style with the sample (sampleRecordSource); the screen, holding the sample
 * as edited, merges it onto that entry as the workspace will (sampleMerge.ts) and splices it
 * (sampleRecordText), so a box being dragged shows the bytes it will be written as.
 */

import type { DatasetDocument } from './datasetDocument';
import { sampleEntry, sampleFromNode } from './datasetDocument';
import { parseJsonSource } from './jsonSource';
import { entryIndent } from './jsonSplice';
import { mergeWireSample } from './sampleMerge';
import type { EditableSample } from './sampleModel';
import type { SampleRecordSource, WireSample } from './workspaceApi';

/** The whitespace before `offset` on its line, or '' when something else precedes it there. */
function leadingSpace(text: string, offset: number): string {
  const lead = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  return /^[ \t]*$/.test(lead) ? lead : '';
}

export function sampleRecordSource(document: DatasetDocument, sample: EditableSample): SampleRecordSource {
  const { text, root, style } = document;
  // Without a list in the file, saving writes a fresh one: entries one level in.
  const indent = root ? entryIndent(text, root, style) : (style.indent ?? '');
  const origin = sample.origin?.text === text ? sample.origin : undefined;
  const original = origin ? { lead: leadingSpace(text, origin.node.start), entry: text.slice(origin.node.start, origin.node.end) } : null;
  return { original, style: { ...style }, indent };
}

/** The lines of the saved file that hold `sample`, from the whitespace its first line starts with. */
export function sampleRecordText(sample: WireSample, source: SampleRecordSource): string {
  const { original, style, indent } = source;
  if (!original) return (style.indent === null ? '' : indent) + sampleEntry('', mergeWireSample(sample, undefined), style, indent);
  const text = original.lead + original.entry;
  const parsed = parseJsonSource(text, { start: original.lead.length });
  // The workspace sent what the file held, so this parses; should it not, the sample as new is still its content.
  if (!parsed.ok) return original.lead + sampleEntry('', mergeWireSample(sample, undefined), style, indent);
  const opened = sampleFromNode(text, parsed.root, 0);
  return original.lead + sampleEntry(text, mergeWireSample(sample, opened), style, indent);
}
