// Training-log parsing: streaming parser, summary and verdict. See parser.ts for how it reads.

export type { ByteSearch } from './bytes';
export { TrainingLogParser, parseLog } from './parser';
export { pointOf, toPoints } from './points';
export type { SegmentResult } from './segment';
export { SEGMENT_PRELUDE, segmentTransferables } from './segment';
export { summarizeLog } from './summary';
export { judgeRun } from './verdict';
export * from './types';
