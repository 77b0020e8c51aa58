import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkspaceInfo } from '../../../../../shared/dataset/workspaceApi';
import { Dialog } from '../../../components/Dialog';

interface RenameLabelDialogProps {
  from: string;
  to: string;
  /** How often each label is used in the dataset (WorkspaceInfo.labels). */
  labels: WorkspaceInfo['labels'];
  /** Resolves once renamed; rejects with the reason shown in the dialog. */
  onConfirm(): Promise<void>;
  onClose(): void;
}

const usesOf = (labels: WorkspaceInfo['labels'], name: string) => labels.find((entry) => entry.label === name)?.count ?? 0;

/** Asks before a label changes in every sample, saying when it is a merge into an existing one. */
export function RenameLabelDialog({ from, to, labels, onConfirm, onClose }: RenameLabelDialogProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const count = usesOf(labels, from);
  const target = usesOf(labels, to);
  const merge = target > 0;

  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
    } catch (error) {
      setFailure(t('dataset.labels.renameFailed', { detail: error instanceof Error ? error.message : String(error) }));
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('dataset.labels.renameTitle')} onClose={onClose} className="dialog--form dataset-dialog">
      <p>{merge ? t('dataset.labels.mergeBody', { from, to, count, target }) : t('dataset.labels.renameBody', { from, to, count })}</p>
      <p className="dataset-dialog__hint">{t('dataset.labels.renameNote')}</p>
      {failure && <p role="alert">{failure}</p>}
      <div className="dialog__actions">
        <button type="button" className="button button--quiet" onClick={onClose}>
          {t('dataset.labels.cancel')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void confirm()} data-autofocus>
          {busy ? t('dataset.labels.renaming') : merge ? t('dataset.labels.mergeEverywhere', { to }) : t('dataset.labels.renameEverywhere')}
        </button>
      </div>
    </Dialog>
  );
}
