import type { TFunction } from 'i18next';
import type { DatasetProblem } from '../../../../../shared/dataset/datasetProblems';

/** The problem in the user's language, from its stable code and params (the English message is the CLI's). */
export function problemMessage(t: TFunction, problem: DatasetProblem): string {
  // Samples are numbered from 1 on screen (#N), the validator counts from 0.
  const params = problem.code === 'id-duplicate' ? { ...problem.params, first: Number(problem.params.first) + 1 } : problem.params;
  return t(`dataset.problem.${problem.code}`, params);
}

/** Where it is, as the editor names things: the sample's id, turn N, character N (both from 1). */
export function problemPlace(t: TFunction, problem: DatasetProblem): string {
  if (problem.sample === null) return t('dataset.problems.inFile');
  const parts = [problem.id !== null ? t('dataset.problems.sample', { id: problem.id }) : t('dataset.problems.sampleNumber', { number: problem.sample + 1 })];
  if (problem.turn !== null) parts.push(t('dataset.problems.turn', { turn: problem.turn + 1 }));
  if (problem.turn !== null && problem.offset !== null) parts.push(t('dataset.problems.char', { char: problem.offset + 1 }));
  return parts.join(' · ');
}
