import { useTranslation } from 'react-i18next';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { useAsyncTask } from './useAsyncTask';
import { ErrorLine } from '../../components/ErrorLine';

export function RemoveHostDialog({ profile, onClose }: { profile: HostProfile; onClose(): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const task = useAsyncTask();
  const remove = () =>
    task.run(async () => {
      await api.hosts.remove({ id: profile.id });
      onClose();
    });

  return (
    <Dialog title={t('hosts.removeTitle', { name: profile.name })} onClose={onClose} role="alertdialog">
      <p className="dialog__text">{t('hosts.removeBody')}</p>
      <ErrorLine error={task.error} />
      <div className="dialog__actions">
        {/* Focus starts on Cancel: a stray Enter must not delete anything. */}
        <button type="button" className="button button--quiet" onClick={onClose} data-autofocus>
          {t('hosts.cancel')}
        </button>
        <button type="button" className="button button--danger" disabled={task.busy} onClick={() => void remove()}>
          {t('hosts.removeConfirm')}
        </button>
      </div>
    </Dialog>
  );
}
