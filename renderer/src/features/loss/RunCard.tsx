import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/settings/settings';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import type { LossRun } from '../../store/lossSlice';
import { formatBytes } from '../hosts/transferFormat';
import { closeLogRun } from './logFiles';
import { stopRemoteRun } from './remoteRuns';
import { streamBadge, streamProblem } from './streamText';

const SHOWN_FAILURES = 3;

const statNumber = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : String(Number(value.toPrecision(6))));

export function RunCard({ run }: { run: LossRun }) {
  const { t, i18n } = useTranslation();
  const language: Language = i18n.language === 'zh' ? 'zh' : 'en';
  const toggle = useAppStore((state) => state.lossRunVisibilityToggled);
  const hostName = useAppStore((state) => state.hostProfiles.find((profile) => profile.id === run.remote?.hostId)?.name);
  const { summary, remote, stream } = run;
  const loss = summary?.series.loss;
  const badge = stream ? streamBadge(stream) : null;
  const problem = stream ? streamProblem(stream) : null;
  // A review shows how far it has read; a followed log only while it catches up with the file.
  const reading = stream && (stream.state === 'connecting' || stream.state === 'following') && stream.bytesTotal !== null && (stream.mode === 'review' || stream.bytesRead < stream.bytesTotal);
  return (
    <li className="run-card" style={{ '--run-color': `var(--run-color-${run.colorIndex})` } as CSSProperties}>
      <div className="run-card__head">
        <label className="run-card__name" title={run.name}>
          <input type="checkbox" checked={run.visible} onChange={() => toggle(run.id)} aria-label={t('loss.showRun', { name: run.name })} />
          <span className="run-card__swatch" aria-hidden="true" />
          <span className="run-card__file">{run.name}</span>
        </label>
        {badge && (
          <span className="run-card__badge" data-state={badge} role="status">
            {t(`loss.streamState.${badge}`)}
          </span>
        )}
        {stream?.mode === 'follow' && (stream.state === 'following' || stream.state === 'reconnecting' || stream.state === 'connecting') && (
          <button type="button" className="button button--quiet button--small" aria-label={t('loss.stop', { name: run.name })} title={t('loss.stop', { name: run.name })} onClick={() => stopRemoteRun(run.id)}>
            {t('loss.stopShort')}
          </button>
        )}
        <button type="button" className="icon-button icon-button--small icon-button--danger" aria-label={t('loss.closeRun', { name: run.name })} title={t('loss.closeRun', { name: run.name })} onClick={() => closeLogRun(run.id)}>
          <Icon name="close" />
        </button>
      </div>
      {remote && (
        <p className="run-card__source" title={remote.path}>
          {t('loss.source', { host: hostName ?? remote.hostId, path: remote.path })}
        </p>
      )}
      {(run.status === 'parsing' || reading) && (
        <div className="run-card__progress">
          <progress max={run.bytesTotal || 1} value={run.bytesDone} aria-label={t(remote ? 'loss.readRemote' : 'loss.reading', { name: run.name })} />
          <span>{t('loss.readProgress', { done: formatBytes(run.bytesDone), total: formatBytes(run.bytesTotal) })}</span>
        </div>
      )}
      {run.status === 'failed' && <p className="run-card__error">{t('loss.failed', { error: run.error ?? '' })}</p>}
      {problem && (
        <p className={stream?.state === 'error' ? 'run-card__error' : 'run-card__note'} role={stream?.state === 'error' ? 'alert' : undefined}>
          {t(`loss.problem.${problem.text}`, { detail: problem.detail })}
        </p>
      )}
      {remote && <p className="verdict__numbers">{t('loss.received', { count: run.points })}</p>}
      {summary && (
        <div className="verdict" data-state={summary.verdict.state}>
          <p className="verdict__state">{t(`loss.state.${summary.verdict.state}`)}</p>
          <p className="verdict__reason">{summary.verdict.reason[language]}</p>
          {!remote && <p className="verdict__numbers">{t('loss.points', { count: loss?.count ?? 0, ms: Math.round(run.parseMillis ?? 0) })}</p>}
          {loss && <p className="verdict__numbers">{t('loss.lossStats', { first: statNumber(loss.first), last: statNumber(loss.last), min: statNumber(loss.min) })}</p>}
          <p className="verdict__numbers">{t('loss.nonFinite', { loss: loss?.nan ?? 0, grad: summary.series.grad_norm?.nan ?? 0 })}</p>
          {summary.failures.length > 0 && (
            <>
              <p className="verdict__failures-title">{t('loss.failures')}</p>
              <ul className="verdict__failures">
                {summary.failures.slice(0, SHOWN_FAILURES).map((failure) => (
                  <li key={`${failure.line}-${failure.kind}`}>
                    <span className="verdict__failure-where">
                      {t('loss.failureLine', { line: failure.line })} · {failure.kind}
                    </span>
                    <code>{failure.text}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </li>
  );
}
