import { useTranslation } from 'react-i18next';
import type { ActionProgress } from '../../../../shared/guide/wizardApi';
import type { Language } from '../../../../shared/settings/settings';
import { formatBytes } from '../hosts/transferFormat';

interface PullProgressProps {
  progress: ActionProgress;
  hostName: string;
  language: Language;
  /** What the bars are called when they are not a pull's layers (a download's files). */
  names?: { total: string; parts: string; part(id: string): string };
}

const percent = (fraction: number): string => `${Math.floor(fraction * 100)}%`;

/** The pull in total and per layer, as docker reports it; native progress bars, so screen readers read the values. */
export function PullProgress({ progress, hostName, language, names }: PullProgressProps) {
  const { t } = useTranslation();
  const { total, parts, part: partLabel } = names ?? { total: t('wizard.container.totalLabel', { host: hostName }), parts: t('wizard.container.layers'), part: (id: string) => t('wizard.container.layerLabel', { id }) };
  return (
    <div className="wizard-pull">
      <div className="wizard-pull__total">
        <span>{t('wizard.container.total')}</span>
        <progress className="wizard-bar wizard-bar--total" aria-label={total} value={progress.fraction} max={1} />
        <span className="wizard-pull__percent">{percent(progress.fraction)}</span>
      </div>
      {progress.parts.length > 0 && (
        <ul className="wizard-layers" aria-label={parts}>
          {progress.parts.map((part) => (
            <li key={part.id} className="wizard-layer">
              <code>{part.id}</code>
              <progress className="wizard-bar" aria-label={partLabel(part.id)} value={part.fraction} max={1} />
              <span className="wizard-layer__status">
                {part.status[language]}
                {part.total !== null && part.current !== null && ` · ${t('wizard.container.bytes', { current: formatBytes(part.current), total: formatBytes(part.total) })}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {progress.lines.length > 0 && <pre className="wizard-pre wizard-pre--wrap">{progress.lines.join('\n')}</pre>}
    </div>
  );
}
