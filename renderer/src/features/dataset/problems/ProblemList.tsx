import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetProblem } from '../../../../../shared/dataset/datasetProblems';
import { Icon } from '../../../components/icons';
import { problemMessage, problemPlace } from './problemText';

interface ProblemListProps {
  title: string;
  problems: readonly DatasetProblem[];
  /** Shown when there are none. */
  empty: string;
  /** How many there are in all when `problems` is a first part of them. */
  total?: number;
  onJump(problem: DatasetProblem): void;
}

/** Problems as buttons: each names its sample, turn and character, and a click goes there. */
export function ProblemList({ title, problems, empty, total, onJump }: ProblemListProps) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <section className="problem-list" aria-labelledby={titleId}>
      <h4 id={titleId} className="problem-list__title">
        {title}
      </h4>
      {problems.length === 0 ? (
        <p className="problem-list__empty">{empty}</p>
      ) : (
        <ul className="problem-list__items">
          {problems.map((problem, k) => {
            const place = problemPlace(t, problem);
            const canJump = problem.sample !== null;
            return (
              <li key={`${problem.sample}:${problem.turn}:${problem.offset}:${problem.code}:${k}`} data-severity={problem.severity}>
                <button type="button" className="problem-list__item" disabled={!canJump} onClick={() => onJump(problem)} aria-label={t('dataset.problems.jump', { severity: t(`dataset.problems.${problem.severity}`), message: problemMessage(t, problem), place })}>
                  <span className="problem-list__icon" aria-hidden="true">
                    <Icon name="warning" size={14} />
                  </span>
                  <span className="problem-list__text">
                    <span className="problem-list__message">{problemMessage(t, problem)}</span>
                    <span className="problem-list__place">{place}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {total !== undefined && total > problems.length && <p className="problem-list__empty">{t('dataset.problems.more', { count: total - problems.length })}</p>}
    </section>
  );
}
