import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { pasteLines } from './pasteText';

/** Lines shown before "…and N more". */
const PREVIEW_LINES = 12;

interface PasteDialogProps {
  text: string;
  /** Whether the program asked for bracketed paste (then nothing runs until Enter). */
  bracketed: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function PasteDialog({ text, bracketed, onConfirm, onCancel }: PasteDialogProps) {
  const { t } = useTranslation();
  const lines = pasteLines(text);
  const hidden = lines.length - PREVIEW_LINES;
  return (
    <Dialog title={t('terminal.paste.title', { count: lines.length })} onClose={onCancel} className="dialog--form" role="alertdialog">
      <p className="dialog__text">{bracketed ? t('terminal.paste.bracketed') : t('terminal.paste.unbracketed')}</p>
      <pre className="terminal-paste__preview">
        {lines.slice(0, PREVIEW_LINES).join('\n')}
        {hidden > 0 && `\n${t('terminal.paste.more', { count: hidden })}`}
      </pre>
      <div className="dialog__actions">
        <button type="button" className="button button--quiet" onClick={onCancel}>
          {t('terminal.paste.cancel')}
        </button>
        <button type="button" className="button" data-autofocus onClick={onConfirm}>
          {t('terminal.paste.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
