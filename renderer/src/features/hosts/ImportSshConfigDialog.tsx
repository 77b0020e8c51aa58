import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import { selectHostNames } from '../../store/selectors/hostsSelectors';
import { formatEndpoint } from './hostDisplay';
import { defaultSelection, importRows } from './sshImport';
import type { ImportRow } from './sshImport';
import { errorText, useAsyncTask } from './useAsyncTask';
import { useIssueText } from './useIssueText';
import { FormActions } from '../../components/FormActions';
import { ErrorLine } from '../../components/ErrorLine';

interface Found {
  file: string;
  problems: string[];
  rows: ImportRow[];
}

export function ImportSshConfigDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const issueText = useIssueText();
  const rowId = useId();
  const [found, setFound] = useState<Found | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  /** Per alias: null once added, else why it failed. */
  const [outcomes, setOutcomes] = useState<Readonly<Record<string, string | null>>>({});
  const { run: runLoad, busy: loading, error: loadError } = useAsyncTask();
  const save = useAsyncTask();

  useEffect(() => {
    let live = true;
    void runLoad(async () => {
      const result = await api.hosts.importSshConfig();
      if (!live) return;
      const rows = importRows(result, selectHostNames(useAppStore.getState()));
      setFound({ file: result.file, problems: result.problems, rows });
      setSelected(defaultSelection(rows));
    });
    return () => {
      live = false;
    };
  }, [api, runLoad]);

  const rows = found?.rows ?? [];
  const problemText = ({ field, issue }: NonNullable<ImportRow['problem']>) => (field ? `${t(`hostForm.${field}`)}: ${issueText(issue)}` : issueText(issue));
  const toggle = (alias: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(alias);
      else next.delete(alias);
      return next;
    });

  // One at a time, so each failure stays next to its host and the rest still get in.
  const importSelected = () =>
    save.run(async () => {
      const batch: Record<string, string | null> = {};
      for (const row of rows) {
        if (!row.fields || !selected.has(row.alias)) continue;
        batch[row.alias] = await api.hosts.add(row.fields).then(
          () => null,
          (error: unknown) => errorText(error),
        );
        setOutcomes((current) => ({ ...current, ...batch }));
      }
      const failed = Object.keys(batch).filter((alias) => batch[alias] !== null);
      if (failed.length === 0) onClose();
      else setSelected(new Set(failed));
    });

  return (
    <Dialog title={t('importSsh.title')} onClose={onClose} className="dialog--form">
      {loading && !found && <p className="dialog__text">{t('importSsh.reading')}</p>}
      <ErrorLine error={loadError} />
      {found && rows.length === 0 && (
        <div className="dialog-empty">
          <Icon name="import" size={28} />
          <p className="dialog-empty__title">{t('importSsh.emptyTitle')}</p>
          <p>{t('importSsh.emptyBody', { file: found.file })}</p>
        </div>
      )}
      {rows.length > 0 && (
        <fieldset className="import-list">
          <legend className="field__label">{t('importSsh.hostsIn', { file: found?.file })}</legend>
          {rows.map((row, index) => {
            const { candidate } = row;
            const outcome = outcomes[row.alias];
            const meta = [
              formatEndpoint(candidate),
              candidate.identityFile ? t('importSsh.key', { path: candidate.identityFile }) : null,
              candidate.jump.length ? t('importSsh.via', { hops: candidate.jump.join(', ') }) : null,
              row.exists ? t('importSsh.exists') : null,
            ];
            return (
              <div key={row.alias} className="import-row">
                <input
                  type="checkbox"
                  id={`${rowId}-${index}`}
                  checked={selected.has(row.alias)}
                  disabled={!row.fields || outcome === null}
                  aria-describedby={`${rowId}-${index}-meta`}
                  onChange={(event) => toggle(row.alias, event.target.checked)}
                />
                <div className="import-row__text">
                  <label htmlFor={`${rowId}-${index}`} className="import-row__alias">
                    {row.alias}
                  </label>
                  <p id={`${rowId}-${index}-meta`} className="import-row__meta">
                    {meta.filter(Boolean).join(' · ')}
                  </p>
                  {row.problem && <p className="field__error">{t('importSsh.invalid', { reason: problemText(row.problem) })}</p>}
                  {outcome === null && <p className="import-row__added">{t('importSsh.added')}</p>}
                  {outcome && <p className="field__error">{t('importSsh.failed', { reason: outcome })}</p>}
                </div>
              </div>
            );
          })}
        </fieldset>
      )}
      {found && found.problems.length > 0 && (
        <div className="notice notice--warn" role="note">
          <p className="notice__title">{t('importSsh.problems')}</p>
          <ul>
            {found.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <FormActions error={save.error} cancelLabel={rows.length ? t('importSsh.cancel') : t('importSsh.close')} onCancel={onClose}>
        {rows.length > 0 && (
          <button type="button" className="button" disabled={selected.size === 0 || save.busy} onClick={() => void importSelected()}>
            {save.busy ? t('importSsh.importing') : t('importSsh.submit', { count: selected.size })}
          </button>
        )}
      </FormActions>
    </Dialog>
  );
}
