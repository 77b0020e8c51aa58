import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';

interface CloseTerminalDialogProps {
  title: string;
  /** The foreground command, when the main process could name it. */
  command: string | null;
  onConfirm(): void;
  onCancel(): void;
}

export function CloseTerminalDialog({ title, command, onConfirm, onCancel }: CloseTerminalDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog title={t('terminal.closeDialog.title')} onClose={onCancel} role="alertdialog">
      <p className="dialog__text">{command ? t('terminal.closeDialog.busy', { command, title }) : t('terminal.closeDialog.busyUnknown', { title })}</p>
      <div className="dialog__actions">
        <button type="button" className="button button--quiet" data-autofocus onClick={onCancel}>
          {t('terminal.closeDialog.cancel')}
        </button>
        <button type="button" className="button button--danger" onClick={onConfirm}>
          {t('terminal.closeDialog.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
