import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportResult, WorkspaceInfo } from '../../../../../shared/dataset/workspaceApi';
import { useApi } from '../../../api/ApiContext';
import { Dialog } from '../../../components/Dialog';
import { FormActions } from '../../../components/FormActions';
import { FileBrowser } from '../files/FileBrowser';
import { joinPath, splitPath } from '../files/paths';
import { PathField } from '../files/PathField';

const TARGETS = ['qwen', 'sharegpt', 'swift'] as const;
type Target = (typeof TARGETS)[number];

/** The file name proposed for each target, from the dataset's own. */
function proposedName(file: string, target: Target): string {
  const stem = splitPath(file).name.replace(/\.json$/i, '') || 'dataset';
  return target === 'qwen' ? `${stem}-export.json` : target === 'sharegpt' ? `${stem}-sharegpt.json` : `${stem}-swift.jsonl`;
}

const PROBLEMS_SHOWN = 50;

interface ExportDialogProps {
  workspace: WorkspaceInfo;
  onClose(): void;
}

/** Writes the dataset as Qwen-VL JSON, LLaMA-Factory ShareGPT or ms-swift JSON Lines. */
export function ExportDialog({ workspace, onClose }: ExportDialogProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [target, setTarget] = useState<Target>('qwen');
  const [file, setFile] = useState(() => joinPath(workspace.folder, proposedName(workspace.file, 'qwen')));
  const [touched, setTouched] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);

  const pick = (next: Target) => {
    setTarget(next);
    if (!touched) setFile(joinPath(workspace.folder, proposedName(workspace.file, next)));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await api.dataset.export({ id: workspace.id, to: target, file: file.trim() }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    return (
      <Dialog title={t('dataset.export.doneTitle')} onClose={onClose} className="dialog--form dataset-dialog">
        <p className="dialog__text" role="status">
          {result.written > 0 ? t('dataset.export.done', { count: result.written, file }) : t('dataset.export.nothing')}
        </p>
        {result.problems.length > 0 && (
          <ul className="dataset-dialog__problems" aria-label={t('dataset.export.leftOut', { count: result.problems.length })}>
            {result.problems.slice(0, PROBLEMS_SHOWN).map((problem, k) => (
              <li key={k}>
                <strong>{problem.id}</strong>: {problem.message}
              </li>
            ))}
            {result.problems.length > PROBLEMS_SHOWN && <li>{t('dataset.import.more', { count: result.problems.length - PROBLEMS_SHOWN })}</li>}
          </ul>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" data-autofocus onClick={onClose}>
            {t('dataset.import.close')}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={browsing ? t('dataset.export.chooseFile') : t('dataset.export.title')} onClose={onClose} className="dialog--form dataset-dialog">
      {browsing ? (
        <FileBrowser
          mode="save"
          dir={splitPath(file).dir || workspace.folder}
          name={splitPath(file).name}
          accept={(name) => /\.jsonl?$/i.test(name)}
          onChoose={(path) => {
            setFile(path);
            setTouched(true);
            setBrowsing(false);
          }}
          onCancel={() => setBrowsing(false)}
        />
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)}>
          <fieldset className="field">
            <legend className="field__label">{t('dataset.export.format')}</legend>
            {TARGETS.map((id) => (
              <label key={id} className="dataset-dialog__choice">
                <input type="radio" name="export-target" value={id} checked={target === id} onChange={() => pick(id)} />
                <span>
                  <strong>{t(`dataset.export.targets.${id}`)}</strong>
                  <span className="field__hint">{t(`dataset.export.targetHints.${id}`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <PathField
            label={t('dataset.export.file')}
            value={file}
            onChange={(value) => {
              setFile(value);
              setTouched(true);
            }}
            onBrowse={() => setBrowsing(true)}
            required
          />
          <FormActions error={error} cancelLabel={t('dataset.export.cancel')} onCancel={onClose}>
            <button type="submit" className="button" disabled={busy || !file.trim()}>
              {busy ? t('dataset.export.writing') : t('dataset.export.submit')}
            </button>
          </FormActions>
        </form>
      )}
    </Dialog>
  );
}
