import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ValidationReport, WorkspaceInfo } from '../../../../shared/dataset/workspaceApi';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { useApi } from '../../api/ApiContext';
import { TextField } from '../../components/TextField';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { ErrorLine } from '../../components/ErrorLine';

/** Problems listed under the report; the dataset screen shows all of them. */
const SHOWN_PROBLEMS = 5;

interface DatasetUploadProps {
  host: HostProfile;
  params: GuideParams;
  /** The upload is running on this host. */
  uploading: boolean;
}

/**
 * Step 5 on one host: a dataset open in the dataset builder (or a JSON file opened here), checked
 * by the builder's validator, then uploaded with its images; errors block the upload.
 */
export function DatasetUpload({ host, params, uploading }: DatasetUploadProps) {
  const api = useApi();
  const { t } = useTranslation();
  const [workspaces, setWorkspaces] = useState<readonly WorkspaceInfo[]>([]);
  const [chosen, setChosen] = useState<string>('');
  const [file, setFile] = useState('');
  const [report, setReport] = useState<ValidationReport | null>(null);
  const task = useAsyncTask();

  useEffect(() => {
    let live = true;
    const refresh = () =>
      void api.dataset.workspaces().then(
        (list) => live && setWorkspaces(list),
        () => undefined,
      );
    refresh();
    const unsubscribe = api.dataset.onDidChange(refresh);
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);

  const selected = chosen || workspaces[0]?.id || '';
  const choose = (id: string) => {
    setChosen(id);
    setReport(null);
  };
  const openFile = () =>
    task.run(async () => {
      const opened = await api.dataset.open({ file: file.trim(), autosave: false });
      setWorkspaces((current) => [...current.filter((known) => known.id !== opened.id), opened]);
      choose(opened.id);
    });
  const validate = () => task.run(async () => setReport(await api.dataset.validate({ id: selected })));
  const upload = () => task.run(async () => void (await api.guide.uploadDataset({ hostId: host.id, params, workspaceId: selected })));

  return (
    <div className="wizard-upload">
      {workspaces.length > 0 && (
        <label className="field">
          <span className="field__label">{t('wizard.dataset.choose')}</span>
          <select className="field__input" value={selected} onChange={(event) => choose(event.target.value)}>
            {workspaces.map((workspace) => (
              <option key={workspace.id} value={workspace.id}>
                {t('wizard.dataset.option', { file: workspace.file, count: workspace.sampleCount })}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="wizard-toolbar">
        <TextField label={t('wizard.dataset.file')} hint={t('wizard.later.localPathHint')} value={file} onChange={(event) => setFile(event.target.value)} />
        <button type="button" className="button button--small" disabled={file.trim() === '' || task.busy} onClick={() => void openFile()}>
          {t('wizard.dataset.open')}
        </button>
      </div>
      <div className="wizard-toolbar">
        <button type="button" className="button button--small" disabled={!selected || task.busy} aria-label={t('wizard.dataset.validateLabel', { host: host.name })} onClick={() => void validate()}>
          {t('wizard.dataset.validate')}
        </button>
        <button type="button" className="button" disabled={!report || report.errors > 0 || uploading || task.busy} aria-label={t('wizard.dataset.uploadLabel', { host: host.name })} onClick={() => void upload()}>
          {uploading ? t('wizard.later.uploading') : t('wizard.dataset.upload')}
        </button>
      </div>
      {report && (
        <div role="status" aria-label={t('wizard.dataset.reportOn', { host: host.name })}>
          <p className={report.errors > 0 ? 'form__error' : 'wizard-muted'}>{t('wizard.dataset.report', { samples: report.samples, errors: report.errors, warnings: report.warnings })}</p>
          {report.problems.length > 0 && (
            <ul className="wizard-problems">
              {report.problems.slice(0, SHOWN_PROBLEMS).map((problem, index) => (
                <li key={index}>
                  {problem.id !== null && <code>{problem.id}</code>} {problem.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ErrorLine error={task.error} />
    </div>
  );
}
