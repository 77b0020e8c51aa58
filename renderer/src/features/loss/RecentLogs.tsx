import { useTranslation } from 'react-i18next';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { RecentLog } from '../../../../shared/settings/settings';
import { useAsyncTask } from '../hosts/useAsyncTask';

type RemoteLog = Extract<RecentLog, { kind: 'remote' }>;

interface RecentLogsProps {
  recent: readonly RecentLog[];
  profiles: readonly HostProfile[];
  connected: readonly HostProfile[];
  onOpen(entry: RemoteLog): Promise<void>;
}

/** Recently opened logs: a remote one opens again with a click while its host is connected; a
 * local one is only named (the page never learns a file's path). */
export function RecentLogs({ recent, profiles, connected, onOpen }: RecentLogsProps) {
  const { t } = useTranslation();
  const task = useAsyncTask();
  return (
    <details className="loss-panel__recent">
      <summary>{t('loss.recent')}</summary>
      <ul>
        {recent.map((entry) => {
          if (entry.kind === 'local') {
            return (
              <li key={`local:${entry.name}`} title={t('loss.recentLocalHint')}>
                {entry.name}
              </li>
            );
          }
          const host = profiles.find((profile) => profile.id === entry.hostId)?.name ?? entry.hostId;
          const online = connected.some((profile) => profile.id === entry.hostId);
          return (
            <li key={`remote:${entry.hostId}:${entry.path}`} className="loss-recent__remote">
              <span className="loss-recent__path" title={entry.path}>
                {t('loss.source', { host, path: entry.path })}
              </span>
              <button
                type="button"
                className="button button--quiet button--small"
                disabled={!online || task.busy}
                title={online ? undefined : t('loss.recentHostOffline', { host })}
                onClick={() => void task.run(() => onOpen(entry))}
              >
                {t(entry.follow ? 'loss.remote.follow' : 'loss.remote.open')}
              </button>
            </li>
          );
        })}
      </ul>
      {task.error && (
        <p className="run-card__error" role="alert">
          {task.error}
        </p>
      )}
    </details>
  );
}
