import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RemoteLogPath } from '../../../../shared/logs/logStreamApi';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import { Dialog } from '../../components/Dialog';
import { FormActions } from '../../components/FormActions';
import { TextField } from '../../components/TextField';
import { useAsyncTask } from '../hosts/useAsyncTask';

interface RemoteLogDialogProps {
  mode: 'follow' | 'review';
  /** Connected hosts only: the log is read through the host's live session. */
  hosts: readonly HostProfile[];
  onOpen(hostId: HostId, path: string): Promise<void>;
  onClose(): void;
}

/** "Follow remote log…" and "Open remote file…": a connected DevServer and a path on it. */
export function RemoteLogDialog({ mode, hosts, onOpen, onClose }: RemoteLogDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const [hostId, setHostId] = useState<HostId | null>(hosts[0]?.id ?? null);
  const [path, setPath] = useState('');
  const [attempted, setAttempted] = useState(false);
  const task = useAsyncTask();
  const parsed = RemoteLogPath.safeParse(path);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (!hostId || !parsed.success || task.busy) return;
    void task.run(async () => {
      await onOpen(hostId, parsed.data);
      onClose();
    });
  };

  return (
    <Dialog title={t(mode === 'follow' ? 'loss.remote.followTitle' : 'loss.remote.openTitle')} onClose={onClose} className="dialog--form">
      <form className="form" noValidate onSubmit={submit}>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-host`}>
            {t('loss.remote.host')}
          </label>
          <select id={`${id}-host`} className="field__input" value={hostId ?? ''} onChange={(event) => setHostId(event.target.value)} disabled={hosts.length === 0}>
            {hosts.map((host) => (
              <option key={host.id} value={host.id}>
                {host.name}
              </option>
            ))}
          </select>
          {hosts.length === 0 && <p className="field__error">{t('loss.remote.noHosts')}</p>}
        </div>
        <TextField
          label={t('loss.remote.path')}
          hint={t('loss.remote.pathHint')}
          error={attempted && !parsed.success ? t('loss.remote.pathRequired') : null}
          value={path}
          placeholder="/home/ma-user/work/output/train.log"
          onChange={(event) => setPath(event.target.value)}
          data-autofocus
        />
        <p className="dialog__text dialog__text--muted">{t(mode === 'follow' ? 'loss.remote.followNote' : 'loss.remote.openNote')}</p>
        <FormActions error={task.error} cancelLabel={t('loss.remote.cancel')} onCancel={onClose}>
          <button type="submit" className="button" disabled={!hostId || task.busy}>
            {task.busy ? t('loss.remote.starting') : t(mode === 'follow' ? 'loss.remote.follow' : 'loss.remote.open')}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
