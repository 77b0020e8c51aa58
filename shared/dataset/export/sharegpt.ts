import type { ExportMessage, ExportResult } from './exportTurns';
import { exportMessages } from './exportTurns';
import type { QwenSample } from './qwenJson';

/**
 * LLaMA-Factory's sharegpt format in its OpenAI-style variant (like its mllm_demo.json):
 * `messages` of role/content with an `<image>` per image and the paths in `images`. Boxes stay
 * the text they are in Qwen-VL: `<ref>…</ref><box>(x1,y1),(x2,y2)</box>` with integers in
 * [0,1000) of the original image. LLaMA-Factory never rewrites coordinates, so the numbers must
 * already be what the trained model expects; this relative 0–1000 grid is also Qwen2-VL's and
 * Qwen3-VL's, but not Qwen2.5-VL's (absolute pixels of the resized image).
 */
export interface SharegptRecord {
  messages: ExportMessage[];
  images: string[];
}

const RESERVED = ['<image>', '<video>', '<audio>'];

export function toSharegpt(samples: readonly QwenSample[]): ExportResult<SharegptRecord> {
  const result: ExportResult<SharegptRecord> = { records: [], problems: [] };
  for (const sample of samples) {
    const converted = exportMessages(sample, RESERVED);
    if ('error' in converted) result.problems.push({ id: sample.id, message: converted.error });
    else result.records.push(converted);
  }
  return result;
}

export function sharegptJsonText(records: readonly SharegptRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

/**
 * The entry for LLaMA-Factory's data/dataset_info.json: the role/content tags are not its
 * defaults (from/value, human/gpt), so without them it cannot read the file.
 */
export function sharegptDatasetInfo(fileName: string): Record<string, unknown> {
  return {
    file_name: fileName,
    formatting: 'sharegpt',
    columns: { messages: 'messages', images: 'images' },
    tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
  };
}
