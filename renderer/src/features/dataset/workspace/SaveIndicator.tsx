import { useTranslation } from 'react-i18next';
import type { WorkspaceInfo } from '../../../../../shared/dataset/workspaceApi';
import type { SendState } from './sampleSession';

export type SaveDisplay = 'saving' | 'unsaved' | 'saved' | 'conflict' | 'failed';

/**
 * One word for where the edits are: still in this window or on their way (saving), in the
 * main process's journal but not yet in the file (unsaved), in the file (saved), or stuck.
 */
export function saveDisplay(send: SendState, workspace: WorkspaceInfo): SaveDisplay {
  if (send === 'failed' || workspace.saveState === 'failed') return 'failed';
  if (workspace.saveState === 'conflict') return 'conflict';
  if (send !== 'idle' || workspace.saveState === 'saving') return 'saving';
  if (workspace.saveState === 'pending' || workspace.dirty) return 'unsaved';
  return 'saved';
}

interface SaveIndicatorProps {
  send: SendState;
  sendError: string | null;
  workspace: WorkspaceInfo;
  onOverwrite(): void;
  onRetry(): void;
}

export function SaveIndicator({ send, sendError, workspace, onOverwrite, onRetry }: SaveIndicatorProps) {
  const { t } = useTranslation();
  const display = saveDisplay(send, workspace);
  const detail =
    display === 'failed'
      ? (sendError ?? workspace.saveError ?? '')
      : display === 'conflict'
        ? (workspace.saveError ?? '')
        : display === 'unsaved'
          ? t(workspace.autosave ? 'dataset.save.unsavedAutosave' : 'dataset.save.unsavedManual')
          : display === 'saved' && workspace.savedAt !== null
            ? t('dataset.save.savedAt', { time: new Date(workspace.savedAt).toLocaleTimeString() })
            : '';
  return (
    <span className="save-indicator" data-state={display}>
      <span role="status" className="save-indicator__state" title={detail || undefined}>
        {t(`dataset.save.${display}`)}
        {detail && <span className="visually-hidden">: {detail}</span>}
      </span>
      {display === 'conflict' && (
        <button type="button" className="button button--danger button--small" onClick={onOverwrite}>
          {t('dataset.save.overwrite')}
        </button>
      )}
      {display === 'failed' && (
        <button type="button" className="button button--quiet button--small" onClick={onRetry}>
          {t('dataset.save.retry')}
        </button>
      )}
    </span>
  );
}
