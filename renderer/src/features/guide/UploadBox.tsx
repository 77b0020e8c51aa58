import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { useApi } from '../../api/ApiContext';
import { TextField } from '../../components/TextField';
import { useAppStore } from '../../store/appStore';
import { formatBytes } from '../hosts/transferFormat';
import { errorText } from '../hosts/useAsyncTask';
import { ErrorLine } from '../../components/ErrorLine';

interface UploadBoxProps {
  host: HostProfile;
  /** What to upload, in the user's words ("the package zip", "the Qwen-VL-Chat folder"). */
  label: string;
  /** The folder on the server it goes into. */
  remoteDir: string;
  /** Called once the upload is done and verified: the item is checked again. */
  onUploaded(): void;
}

/**
 * A local file or folder sent through the app's transfers (resumable, verified with sha256, renamed
 * into place), its progress shown here and in the sidebar.
 */
export function UploadBox({ host, label, remoteDir, onUploaded }: UploadBoxProps) {
  const api = useApi();
  const { t } = useTranslation();
  const [localPath, setLocalPath] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useAppStore((state) => (jobId ? state.transfers[jobId] : undefined));
  const transferUpdated = useAppStore((state) => state.transferUpdated);
  const state = job?.state;

  useEffect(() => {
    if (state === 'done') onUploaded();
    // Only the moment it finishes matters, not a new callback.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  const start = () => {
    setError(null);
    api.transfers.start({ hostId: host.id, direction: 'upload', localPath: localPath.trim(), remotePath: `${remoteDir}/` }).then(
      (started) => {
        transferUpdated(started);
        setJobId(started.jobId);
      },
      (failure: unknown) => setError(errorText(failure)),
    );
  };
  const progress = job?.progress;
  const fraction = progress && progress.totalBytes > 0 ? progress.doneBytes / progress.totalBytes : state === 'done' ? 1 : 0;

  return (
    <div className="wizard-upload">
      <TextField label={label} value={localPath} hint={t('wizard.later.localPathHint')} onChange={(event) => setLocalPath(event.target.value)} />
      <div className="wizard-toolbar">
        <button type="button" className="button button--small" disabled={localPath.trim() === '' || state === 'running'} aria-label={t('wizard.later.uploadLabel', { what: label, host: host.name })} onClick={start}>
          {state === 'running' ? t('wizard.later.uploading') : t('wizard.later.upload', { dir: remoteDir })}
        </button>
      </div>
      {job && (
        <div className="wizard-upload__progress">
          <progress max={1} value={fraction} aria-label={t('wizard.later.uploadProgress', { what: label, host: host.name })} />
          <span className="wizard-muted" role="status">
            {state === 'done' && job.summary
              ? t('wizard.later.uploaded', { bytes: formatBytes(job.summary.bytes), skipped: job.summary.skipped })
              : state === 'running'
                ? progress
                  ? t('wizard.later.uploadBytes', { done: formatBytes(progress.doneBytes), total: formatBytes(progress.totalBytes) })
                  : t('wizard.later.uploadStarting')
                : t(`wizard.later.uploadState.${state ?? 'running'}`)}
          </span>
          <ErrorLine error={job.error} />
        </div>
      )}
      <ErrorLine error={error} />
    </div>
  );
}
