import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { TransferRequest } from '../../../../shared/transfers/transferJob';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { useAppStore } from '../../store/appStore';
import { fieldIssues } from './formIssues';
import { useAsyncTask } from './useAsyncTask';
import { useFormAttempts } from './useFormAttempts';
import { useFieldErrors } from './useIssueText';
import { FormActions } from '../../components/FormActions';

interface TransferFormDialogProps {
  profile: HostProfile;
  direction: TransferRequest['direction'];
  onClose(): void;
}

export function TransferFormDialog({ profile, direction, onClose }: TransferFormDialogProps) {
  const { t } = useTranslation();
  const api = useApi();
  const transferUpdated = useAppStore((state) => state.transferUpdated);
  const [paths, setPaths] = useState({ localPath: '', remotePath: '' });
  const { form, attempted, attempt } = useFormAttempts();
  const task = useAsyncTask();

  const parsed = TransferRequest.safeParse({ hostId: profile.id, direction, localPath: paths.localPath.trim(), remotePath: paths.remotePath.trim() });
  const error = useFieldErrors(attempted && !parsed.success ? fieldIssues(parsed.error.issues) : {});

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    attempt();
    if (!parsed.success || task.busy) return;
    const request = parsed.data;
    void task.run(async () => {
      transferUpdated(await api.transfers.start(request));
      onClose();
    });
  };

  const local = (
    <TextField
      key="local"
      label={t(direction === 'upload' ? 'transferForm.uploadSource' : 'transferForm.downloadTarget')}
      hint={t(direction === 'upload' ? 'transferForm.uploadSourceHint' : 'transferForm.downloadTargetHint')}
      error={error('localPath')}
      value={paths.localPath}
      onChange={(event) => setPaths({ ...paths, localPath: event.target.value })}
      data-autofocus={direction === 'upload' ? true : undefined}
    />
  );
  const remote = (
    <TextField
      key="remote"
      label={t(direction === 'upload' ? 'transferForm.uploadTarget' : 'transferForm.downloadSource')}
      hint={t(direction === 'upload' ? 'transferForm.uploadTargetHint' : 'transferForm.downloadSourceHint')}
      error={error('remotePath')}
      value={paths.remotePath}
      onChange={(event) => setPaths({ ...paths, remotePath: event.target.value })}
      data-autofocus={direction === 'download' ? true : undefined}
    />
  );

  return (
    <Dialog title={t(direction === 'upload' ? 'transferForm.uploadTitle' : 'transferForm.downloadTitle', { name: profile.name })} onClose={onClose} className="dialog--form">
      <form ref={form} className="form" noValidate onSubmit={submit}>
        {direction === 'upload' ? [local, remote] : [remote, local]}
        <p className="dialog__text dialog__text--muted">{t('transferForm.note')}</p>
        <FormActions error={task.error} cancelLabel={t('transferForm.cancel')} onCancel={onClose}>
          <button type="submit" className="button" disabled={task.busy}>
            {task.busy ? t('transferForm.starting') : t(`transferForm.start.${direction}`)}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
