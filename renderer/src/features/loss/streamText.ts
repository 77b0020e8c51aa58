// How a remote run's state reads on its card: a badge, and a sentence for what is wrong.

import type { LogStreamInfo, LogStreamProblem } from '../../../../shared/logs/logStreamApi';

export type StreamBadge = 'connecting' | 'following' | 'reconnecting' | 'ended' | 'error' | 'reading' | 'read';

export function streamBadge(stream: LogStreamInfo): StreamBadge {
  if (stream.mode === 'review') {
    if (stream.state === 'ended') return 'read';
    if (stream.state === 'following') return 'reading';
  }
  return stream.state;
}

export type ProblemText = LogStreamProblem['code'] | 'missingOnce';

/** Which sentence (under loss.problem) says what is wrong, with the server's detail. */
export function streamProblem(stream: LogStreamInfo): { text: ProblemText; detail: string } | null {
  const { problem } = stream;
  if (!problem) return null;
  return { text: problem.code === 'missing' && stream.mode === 'review' ? 'missingOnce' : problem.code, detail: problem.detail ?? '' };
}
