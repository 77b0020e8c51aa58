import { useEffect, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import type { RecentLog } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import { useUpdateSettings } from '../shell/useSettingsSync';
import { LossCharts } from './LossCharts';
import { openLogFiles } from './logFiles';
import { RecentLogs } from './RecentLogs';
import { recentFor, withRecent } from './recentLogs';
import { RemoteLogDialog } from './RemoteLogDialog';
import { connectRemoteRuns, openRemoteLog } from './remoteRuns';
import { RunCard } from './RunCard';
import { ViewControls } from './ViewControls';
import './loss.css';

const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

export function LossPanel() {
  const { t } = useTranslation();
  const api = useApi();
  const updateSettings = useUpdateSettings();
  const runs = useAppStore((state) => state.lossRuns);
  const recent = useAppStore((state) => state.settings.recentLogs);
  const profiles = useAppStore((state) => state.hostProfiles);
  const statuses = useAppStore((state) => state.hostStatuses);
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [dialog, setDialog] = useState<'follow' | 'review' | null>(null);
  const connected = profiles.filter((profile) => statuses[profile.id]?.state === 'connected');

  useEffect(() => connectRemoteRuns(api), [api]);

  const remember = (opened: readonly RecentLog[]) => updateSettings({ recentLogs: withRecent(useAppStore.getState().settings.recentLogs, opened) });
  const openLocal = (files: FileList | readonly File[]) => {
    const list = [...files];
    openLogFiles(list);
    remember(list.map((file) => ({ kind: 'local', name: file.name })));
  };
  const openRemote = async (hostId: HostId, path: string, follow: boolean) => {
    await openRemoteLog(hostId, path, follow ? 'follow' : 'review');
    remember([recentFor(hostId, path, follow)]);
  };

  const onDrop = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    openLocal(event.dataTransfer.files);
  };

  return (
    <aside
      className="loss-panel"
      aria-label={t('loss.title')}
      data-dragging={dragging || undefined}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="loss-panel__header">
        <h2 className="panel-title">{t('loss.title')}</h2>
        <button type="button" className="icon-button" aria-label={t('loss.close')} title={t('loss.close')} onClick={() => updateSettings({ sidePanel: { open: false } })}>
          <Icon name="close" />
        </button>
      </header>
      <div className="loss-panel__open">
        <button type="button" className="button button--small" onClick={() => inputRef.current?.click()}>
          {t('loss.open')}
        </button>
        <button type="button" className="button button--quiet button--small" onClick={() => setDialog('review')}>
          {t('loss.openRemote')}
        </button>
        <button type="button" className="button button--quiet button--small" onClick={() => setDialog('follow')}>
          {t('loss.followRemote')}
        </button>
        <input
          ref={inputRef}
          type="file"
          multiple
          hidden
          aria-label={t('loss.files')}
          onChange={(event) => {
            openLocal(event.currentTarget.files ?? []);
            // Choosing the same file again must fire change again.
            event.currentTarget.value = '';
          }}
        />
      </div>
      {dragging && <p className="loss-panel__drop">{t('loss.dropHere')}</p>}
      {runs.length === 0 ? (
        <EmptyState icon={<Icon name="loss" size={40} />} title={t('loss.emptyTitle')}>
          {t('loss.emptyBody')} {t('loss.dropHint')}
        </EmptyState>
      ) : (
        <>
          <ul className="run-list" aria-label={t('loss.runs')}>
            {runs.map((run) => (
              <RunCard key={run.id} run={run} />
            ))}
          </ul>
          <ViewControls />
          <LossCharts />
        </>
      )}
      {recent.length > 0 && <RecentLogs recent={recent} profiles={profiles} connected={connected} onOpen={(entry) => openRemote(entry.hostId, entry.path, entry.follow)} />}
      {dialog && <RemoteLogDialog mode={dialog} hosts={connected} onOpen={(hostId, path) => openRemote(hostId, path, dialog === 'follow')} onClose={() => setDialog(null)} />}
    </aside>
  );
}
