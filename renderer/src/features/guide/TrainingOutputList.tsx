import { useTranslation } from 'react-i18next';
import { OutputRows } from '../../../../shared/guide/trainingOutput';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { formatBytes } from '../hosts/transferFormat';
import './trainingRun.css';

/** The rows the check handed over as a fact; none when it could not list the folder. */
function rowsOf(listing: string): OutputRows {
  try {
    const parsed = OutputRows.safeParse(JSON.parse(listing));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Step 6's output dir: checkpoints and the final model's files, with sizes and times. */
export function TrainingOutputList({ host, dir, listing, language }: { host: HostProfile; dir: string; listing: string; language: Language }) {
  const { t } = useTranslation();
  const rows = rowsOf(listing);
  if (rows.length === 0) return null;
  return (
    <table className="wizard-output" aria-label={t('wizard.outputList.label', { host: host.name })}>
      <caption>{t('wizard.outputList.caption', { dir })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('wizard.outputList.name')}</th>
          <th scope="col" className="wizard-output__number">
            {t('wizard.outputList.size')}
          </th>
          <th scope="col">{t('wizard.outputList.modified')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <td>{row.files === null ? row.name : t('wizard.outputList.folder', { name: row.name, count: row.files })}</td>
            <td className="wizard-output__number">{formatBytes(row.bytes)}</td>
            <td>{new Date(row.modified).toLocaleString(language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
