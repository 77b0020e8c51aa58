/**
 * Everything the dataset validator can report. Codes are stable: the UI translates them (the
 * English message is for the CLI and logs), and `params` carries the values a translated
 * message needs. Each code has one severity: an error is something finetune.py crashes on or
 * silently mis-trains with; a warning is worth a look.
 */

export const PROBLEM_SEVERITY = {
  // The whole file.
  'file-not-utf8': 'error',
  'file-bom': 'error',
  'json-syntax': 'error',
  'json-not-list': 'error',
  'dataset-empty': 'warning',
  // A sample's shape.
  'sample-not-object': 'error',
  'duplicate-key': 'warning',
  'id-missing': 'warning',
  'id-not-string': 'warning',
  'id-duplicate': 'error',
  'conversations-missing': 'error',
  'conversations-not-list': 'error',
  'conversations-empty': 'error',
  'turn-not-object': 'error',
  'role-invalid': 'error',
  'role-order': 'error',
  'last-turn-user': 'warning',
  'value-missing': 'error',
  'value-not-string': 'error',
  'value-empty': 'warning',
  // Tags in a value.
  'tag-unclosed': 'error',
  'tag-unopened': 'error',
  'tag-nested': 'error',
  'special-token': 'error',
  'ref-without-box': 'warning',
  'box-malformed': 'error',
  'box-out-of-range': 'error',
  'box-inverted': 'error',
  'box-tiny': 'warning',
  'box-without-image': 'warning',
  'picture-number': 'error',
  'picture-label-missing': 'warning',
  // Images.
  'image-path-empty': 'error',
  'image-path-too-long': 'error',
  'image-path-not-utf8': 'error',
  'image-url': 'warning',
  'image-missing': 'error',
  'image-corrupt': 'error',
  'image-unknown-format': 'warning',
  'image-too-large': 'error',
  'image-large': 'warning',
  'image-exif-rotated': 'warning',
  // Length against model_max_length.
  'token-limit-image': 'error',
  'token-limit': 'warning',
  'token-limit-near': 'warning',
} as const;

export type ProblemCode = keyof typeof PROBLEM_SEVERITY;
export type ProblemSeverity = 'error' | 'warning';

export interface DatasetProblem {
  severity: ProblemSeverity;
  code: ProblemCode;
  /** English, one sentence or two; says what is wrong and, where there is one, the fix. */
  message: string;
  /** 0-based index of the sample; null for a problem of the whole file. */
  sample: number | null;
  /** The sample's id (its JSON when not a string); null when it has none or for the file. */
  id: string | null;
  /** 0-based index in `conversations`; null when the problem is not in one turn. */
  turn: number | null;
  /** With a turn: the character (UTF-16) index in that turn's value. For a problem of the whole
   * file: the index in the file's text. Otherwise null. */
  offset: number | null;
  /** How many characters from `offset` the problem covers (0 for a point). */
  length: number;
  params: Record<string, string | number>;
}

export interface ProblemLocation {
  sample: number | null;
  id: string | null;
  turn: number | null;
  offset: number | null;
  length?: number;
}

export function problem(code: ProblemCode, where: ProblemLocation, message: string, params: Record<string, string | number> = {}): DatasetProblem {
  return { severity: PROBLEM_SEVERITY[code], code, message, sample: where.sample, id: where.id, turn: where.turn, offset: where.offset, length: where.length ?? 0, params };
}

/** File problems first, then by sample, turn and offset: the order a reader fixes them in. */
export function compareProblems(a: DatasetProblem, b: DatasetProblem): number {
  return (a.sample ?? -1) - (b.sample ?? -1) || (a.turn ?? -1) - (b.turn ?? -1) || (a.offset ?? -1) - (b.offset ?? -1);
}

export function countProblems(problems: readonly DatasetProblem[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const entry of problems) if (entry.severity === 'error') errors++;
  return { errors, warnings: problems.length - errors };
}
