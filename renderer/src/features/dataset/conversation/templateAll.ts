// A template applied to every sample with boxes: the rows tell which samples have boxes, each
// such sample is fetched, rewritten and sent back as an edit (journaled like any other), a few
// at a time. Cancelling stops after the samples already under way.

import type { SampleTemplate } from '../../../../../shared/dataset/templates';
import type { EditResult, RowsResult, SampleResult, WireSample } from '../../../../../shared/dataset/workspaceApi';
import { MAX_ROWS_PER_CALL } from '../../../../../shared/dataset/workspaceApi';
import { sampleFromWire, sampleToWire } from '../workspace/wireSample';
import { applyTemplate } from './templateApply';

export interface TemplateAllApi {
  rows(request: { id: string; from: number; count: number }): Promise<RowsResult>;
  sample(request: { id: string; index: number }): Promise<SampleResult>;
  update(request: { id: string; index: number; sample: WireSample }): Promise<EditResult>;
}

export interface TemplateAllResult {
  changed: number;
  /** Samples with boxes the template could not rewrite (several pictures, size unknown…). */
  skipped: number;
  cancelled: boolean;
}

const PARALLEL = 4;

export async function applyTemplateToAll(api: TemplateAllApi, id: string, template: SampleTemplate, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<TemplateAllResult> {
  const result: TemplateAllResult = { changed: 0, skipped: 0, cancelled: false };
  let total = Infinity;
  for (let from = 0; from < total; from += MAX_ROWS_PER_CALL) {
    if (signal.aborted) return { ...result, cancelled: true };
    const page = await api.rows({ id, from, count: MAX_ROWS_PER_CALL });
    total = page.total;
    const withBoxes = page.rows.filter((row) => row.boxCount > 0).map((row) => row.index);
    let next = 0;
    const worker = async () => {
      while (next < withBoxes.length && !signal.aborted) {
        const index = withBoxes[next++] as number;
        const fetched = await api.sample({ id, index });
        const sizes = new Map(fetched.images.flatMap((image) => (image.width && image.height ? [[image.path, { width: image.width, height: image.height }] as const] : [])));
        const outcome = applyTemplate(sampleFromWire(fetched.sample), template, (path) => sizes.get(path));
        if (!outcome.ok) {
          result.skipped++;
          continue;
        }
        await api.update({ id, index, sample: sampleToWire(outcome.sample) });
        result.changed++;
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    onProgress(Math.min(from + MAX_ROWS_PER_CALL, total), total);
  }
  return { ...result, cancelled: signal.aborted };
}
