import { memo, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetProgress, WorkspaceInfo } from '../../../../../shared/dataset/workspaceApi';
import { useApi } from '../../../api/ApiContext';
import { Icon } from '../../../components/icons';
import { splitPath } from '../files/paths';
import { SaveIndicator } from './SaveIndicator';
import type { SendState } from './sampleSession';

export type WorkspaceDialog = 'open' | 'import' | 'export' | 'saveAs';

/** The main process reports background checks every few milliseconds; the bar shows a few a second. */
const PROGRESS_SHOWN_EVERY_MS = 250;

/** The latest dataset:onDidProgress of a workspace, re-rendering only what shows it, a few times a second. */
function useProgress(id: string): DatasetProgress | null {
  const api = useApi();
  const [progress, setProgress] = useState<DatasetProgress | null>(null);
  useEffect(() => {
    let latest: DatasetProgress | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.dataset.onDidProgress((event) => {
      if (event.id !== id) return;
      latest = event;
      timer ??= setTimeout(() => {
        timer = null;
        setProgress(latest);
      }, PROGRESS_SHOWN_EVERY_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [api, id]);
  return progress;
}

interface WorkspaceBarProps {
  workspace: WorkspaceInfo;
  send: SendState;
  sendError: string | null;
  validating: boolean;
  onDialog(dialog: WorkspaceDialog): void;
  onSave(overwrite: boolean): void;
  onRetry(): void;
  onValidate(): void;
  onClose(): void;
}

/** The dataset's file, where its edits are, and what can be done with the whole dataset. */
export const WorkspaceBar = memo(function WorkspaceBar({ workspace, send, sendError, validating, onDialog, onSave, onRetry, onValidate, onClose }: WorkspaceBarProps) {
  const { t } = useTranslation();
  const progress = useProgress(workspace.id);
  return (
    <div className="dataset-bar" role="toolbar" aria-label={t('dataset.bar.label')}>
      <span className="dataset-bar__file" title={workspace.file}>
        <Icon name="dataset" size={16} />
        <span className="dataset-bar__name">{splitPath(workspace.file).name}</span>
        <span className="dataset-bar__count">{t('dataset.bar.samples', { count: workspace.sampleCount })}</span>
      </span>
      <SaveIndicator send={send} sendError={sendError} workspace={workspace} onOverwrite={() => onSave(true)} onRetry={onRetry} />
      {progress && progress.done < progress.total && (
        <span className="dataset-bar__progress" role="status">
          {t(`dataset.bar.phase.${progress.phase}`, { done: progress.done, total: progress.total })}
        </span>
      )}
      <span className="dataset-bar__spacer" />
      <button type="button" className="button button--quiet button--small" onClick={() => onDialog('open')}>
        {t('dataset.bar.open')}
      </button>
      <button type="button" className="button button--quiet button--small" onClick={() => onDialog('import')}>
        <Icon name="import" size={14} /> {t('dataset.bar.import')}
      </button>
      <button type="button" className="button button--quiet button--small" onClick={() => onDialog('export')}>
        <Icon name="download" size={14} /> {t('dataset.bar.export')}
      </button>
      <button type="button" className="button button--quiet button--small" disabled={validating} onClick={onValidate}>
        {validating ? t('dataset.bar.validating') : t('dataset.bar.validate')}
      </button>
      <button type="button" className="button button--quiet button--small" onClick={() => onDialog('saveAs')}>
        {t('dataset.bar.saveAs')}
      </button>
      <button type="button" className="button button--small" disabled={workspace.readOnly} onClick={() => onSave(false)}>
        {t('dataset.bar.save')}
      </button>
      <button type="button" className="icon-button" aria-label={t('dataset.bar.close')} title={t('dataset.bar.close')} onClick={onClose}>
        <Icon name="close" size={16} />
      </button>
    </div>
  );
});
