/** One turn of a Qwen-VL conversation, as finetune.py reads it (only these two roles). */
export interface QwenTurn {
  from: 'user' | 'assistant';
  value: string;
}

/** One record of the Qwen-VL fine-tuning JSON (the guide's Step 5). */
export interface QwenSample {
  id: string;
  conversations: QwenTurn[];
}

/**
 * The file finetune.py loads: one JSON list (JSON Lines fails with "Extra data"), UTF-8 without
 * a BOM, Chinese kept as is rather than \u-escaped.
 */
export function qwenJsonText(samples: readonly QwenSample[]): string {
  return `${JSON.stringify(samples, null, 2)}\n`;
}
