import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { TransferJob } from '../../../../shared/transfers/transferJob';
import { useApi } from '../../api/ApiContext';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import { selectHostName, selectTransferList } from '../../store/selectors/hostsSelectors';
import { baseName, canResume, formatBytes, formatClock, requestOf, transferEnds, transferRoute } from './transferFormat';
import { errorText } from './useAsyncTask';

export function TransfersSection() {
  const { t } = useTranslation();
  const jobs = useAppStore(useShallow(selectTransferList));
  return (
    <section className="transfers" aria-labelledby="transfers-title">
      <h2 id="transfers-title" className="panel-title">
        {t('transfers.title')}
      </h2>
      {jobs.length === 0 ? (
        <p className="transfers__empty">{t('transfers.empty')}</p>
      ) : (
        <ul className="transfer-list">
          {jobs.map((job) => (
            <TransferItem key={job.jobId} job={job} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TransferItem({ job }: { job: TransferJob }) {
  const { t } = useTranslation();
  const api = useApi();
  const hostName = useAppStore(selectHostName(job.hostId));
  const transferUpdated = useAppStore((state) => state.transferUpdated);
  const [actionError, setActionError] = useState<string | null>(null);
  const name = baseName(transferEnds(job).from);
  const progress = job.progress;
  const running = job.state === 'running';

  const cancel = () => {
    setActionError(null);
    api.transfers.cancel({ jobId: job.jobId }).catch((error: unknown) => setActionError(errorText(error)));
  };
  const resume = () => {
    setActionError(null);
    api.transfers.start(requestOf(job)).then(transferUpdated, (error: unknown) => setActionError(errorText(error)));
  };

  return (
    <li className="transfer" data-state={job.state}>
      <p className="transfer__title">
        <Icon name={job.direction} size={14} />
        <span className="visually-hidden">{t(`transfers.direction.${job.direction}`)}: </span>
        <span className="transfer__name">{name}</span>
      </p>
      <p className="transfer__route">{transferRoute(job, hostName)}</p>
      {running && (
        <progress className="transfer__bar" aria-label={t('transfers.progressOf', { name })} value={progress?.doneBytes} max={progress?.totalBytes || 1} />
      )}
      {running && !progress && <p className="transfer__line">{t('transfers.preparing')}</p>}
      {running && progress && (
        <>
          <p className="transfer__line">
            {[
              t('transfers.bytes', { done: formatBytes(progress.doneBytes), total: formatBytes(progress.totalBytes) }),
              t('transfers.rate', { rate: formatBytes(progress.bytesPerSecond) }),
              progress.etaSeconds === null ? t('transfers.etaUnknown') : t('transfers.eta', { time: formatClock(progress.etaSeconds) }),
              progress.filesTotal > 1 ? t('transfers.files', { done: progress.filesDone, total: progress.filesTotal }) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
          {progress.currentFile && <p className="transfer__line transfer__current">{t('transfers.current', { file: progress.currentFile })}</p>}
        </>
      )}
      {!running && (
        <p className={`transfer__line transfer__state transfer__state--${job.state}`}>
          {t(`transfers.state.${job.state}`)}
          {job.state === 'done' && job.summary && ` · ${summaryText(job.summary, t)}`}
        </p>
      )}
      {job.state === 'failed' && job.error && <p className="transfer__error">{job.error}</p>}
      {actionError && (
        <p className="transfer__error" role="alert">
          {actionError}
        </p>
      )}
      {running && (
        <button type="button" className="button button--small button--quiet" aria-label={t('transfers.cancelJob', { name })} onClick={cancel}>
          {t('transfers.cancel')}
        </button>
      )}
      {canResume(job) && (
        <button type="button" className="button button--small button--quiet" aria-label={t('transfers.resumeJob', { name })} onClick={resume}>
          {t('transfers.resume')}
        </button>
      )}
    </li>
  );
}

// The full key union of useTranslation's `t` is past what the compiler can expand here (TS2589).
type Translate = TFunction;

function summaryText(summary: NonNullable<TransferJob['summary']>, t: Translate): string {
  const verified = !summary.verified
    ? t('transfers.notVerified')
    : summary.sha256
      ? t('transfers.verified', { hash: summary.sha256.slice(0, 12) })
      : t('transfers.verifiedFiles', { files: summary.files });
  return [
    verified,
    summary.skipped > 0 ? t('transfers.skipped', { count: summary.skipped }) : null,
    t('transfers.took', { bytes: formatBytes(summary.bytes), seconds: summary.seconds.toFixed(1) }),
  ]
    .filter(Boolean)
    .join(' · ');
}
