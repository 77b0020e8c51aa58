import { useTranslation } from 'react-i18next';
import type { FileDiffView } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { diffStat, formatUnifiedDiff } from '../../../../shared/text/lineDiff';
import './trainingRun.css';

/** What a line of `diff -u` output is, from its first character (the two header lines aside). */
function lineClass(line: string, index: number): string {
  if (index < 2) return 'wizard-diff__head';
  if (line.startsWith('@@')) return 'wizard-diff__hunk';
  if (line.startsWith('+')) return 'wizard-diff__added';
  if (line.startsWith('-')) return 'wizard-diff__removed';
  return 'wizard-diff__context';
}

/** The files an action rewrites, each as `diff -u` would show it; a file that stays as it is says so. */
export function FileChanges({ changes, host }: { changes: readonly FileDiffView[]; host: HostProfile }) {
  const { t } = useTranslation();
  return (
    <>
      {changes.map((change) => {
        if (change.hunks.length === 0) {
          return (
            <p key={change.path} className="wizard-muted" role="status">
              {t('wizard.changes.unchanged', { path: change.path })}
            </p>
          );
        }
        const { added, removed } = diffStat(change.hunks);
        const lines = formatUnifiedDiff(change.hunks, change.path, `${change.path} ${t('wizard.changes.after')}`).trimEnd().split('\n');
        return (
          <figure key={change.path} className="wizard-diff" role="group" aria-label={t('wizard.changes.of', { path: change.path, host: host.name })}>
            <figcaption>{t('wizard.changes.summary', { path: change.path, added, removed })}</figcaption>
            <pre className="wizard-pre wizard-diff__text">
              {lines.map((line, index) => (
                <span key={index} className={lineClass(line, index)}>
                  {`${line}\n`}
                </span>
              ))}
            </pre>
          </figure>
        );
      })}
    </>
  );
}
