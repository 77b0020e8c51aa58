import { useTranslation } from 'react-i18next';
import type { LossSource } from '../../../../shared/guide/lossNode';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { openRemoteLog } from '../loss/remoteRuns';
import { ErrorLine } from '../../components/ErrorLine';

interface FollowLossProps {
  /** The host whose run row this sits in. */
  host: HostProfile;
  /** That run's log on the host. */
  ownLog: string;
  /** Where the run's loss is printed (lossNode.ts); null when nothing is known about its nodes. */
  source: LossSource | null;
  /** The hosts training together, to name the last rank. */
  hosts: readonly HostProfile[];
}

/**
 * Hands a run's log to the loss panel, which follows it as it grows. With several nodes that is
 * the last rank's log (only it prints the loss), and the note says which node and why; this
 * node's own log stays one click away, for a run that prints elsewhere than the guide says.
 */
export function FollowLoss({ host, ownLog, source, hosts }: FollowLossProps) {
  const { t } = useTranslation();
  const task = useAsyncTask();
  const nameOf = (hostId: HostId) => hosts.find((candidate) => candidate.id === hostId)?.name ?? hostId;
  const follow = (hostId: HostId, path: string) => void task.run(() => openRemoteLog(hostId, path, 'follow'));

  const single = source === null || source.kind === 'single';
  const target = source?.kind === 'last-rank' || source?.kind === 'printing-rank' ? source : null;
  const followsOwn = single || target?.hostId === host.id;
  const note = (() => {
    switch (source?.kind) {
      case undefined:
      case 'single':
        return null;
      case 'last-rank':
        return source.hostId === host.id ? t('wizard.training.lossHere', { rank: source.rank, nodes: source.nodes }) : t('wizard.training.lossElsewhere', { host: nameOf(source.hostId), rank: source.rank, nodes: source.nodes });
      case 'printing-rank':
        return source.hostId === host.id ? t('wizard.training.lossPrintedHere', { rank: source.rank, nodes: source.nodes }) : t('wizard.training.lossPrintedElsewhere', { host: nameOf(source.hostId), rank: source.rank, nodes: source.nodes });
      case 'not-started':
        return t('wizard.training.lossNotStarted', { host: nameOf(source.hostId), rank: source.rank, nodes: source.nodes });
      case 'no-last-rank':
        return t('wizard.training.lossNoLastRank', { rank: source.rank, nodes: source.nodes });
      case 'inconsistent':
        return source.problem === 'nnodes-differ' ? t('wizard.training.lossNnodesDiffer') : t('wizard.training.lossRankTwice', { rank: source.rank });
    }
  })();

  return (
    <div className="wizard-follow">
      {note && <p className="wizard-muted">{note}</p>}
      <div className="wizard-toolbar">
        {followsOwn ? (
          <button type="button" className="button" disabled={task.busy} aria-label={t('wizard.training.followLabel', { host: host.name })} onClick={() => follow(host.id, ownLog)}>
            {t('wizard.training.follow')}
          </button>
        ) : (
          <>
            {target && (
              <button type="button" className="button" disabled={task.busy} aria-label={t(target.kind === 'last-rank' ? 'wizard.training.followLastRankLabel' : 'wizard.training.followPrintingLabel', { host: nameOf(target.hostId) })} onClick={() => follow(target.hostId, target.path)}>
                {t('wizard.training.followLastRank', { host: nameOf(target.hostId) })}
              </button>
            )}
            <button type="button" className="button button--quiet" disabled={task.busy} aria-label={t('wizard.training.followOwnLabel', { host: host.name })} onClick={() => follow(host.id, ownLog)}>
              {t('wizard.training.followOwn')}
            </button>
          </>
        )}
        <code className="wizard-muted">{target && !followsOwn ? `${nameOf(target.hostId)}:${target.path}` : ownLog}</code>
      </div>
      <ErrorLine error={task.error} />
    </div>
  );
}
