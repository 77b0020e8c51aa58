import { useTranslation } from 'react-i18next';
import type { ItemResult } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { StatusMark } from './StatusMark';
import type { GuideItemView, HostRun } from './wizardState';

interface HostResultsProps {
  host: HostProfile;
  items: readonly GuideItemView[];
  run: HostRun | undefined;
  busy: boolean;
  language: Language;
  onFix(host: HostProfile, item: GuideItemView): void;
}

/** One host's column: its rows in the guide's order, or why it could not be checked. */
export function HostResults({ host, items, run, busy, language, onFix }: HostResultsProps) {
  const { t } = useTranslation();
  const results = new Map(run?.result.items.map((result) => [result.id, result]));
  return (
    <section className="wizard-host" aria-label={host.name} aria-busy={busy}>
      <header className="wizard-host__header">
        <h3>{host.name}</h3>
        {run && <span className="wizard-muted">{t('wizard.checkedAt', { time: new Date(run.result.checkedAt).toLocaleTimeString(language) })}</span>}
      </header>
      {busy && <p className="wizard-muted">{t('wizard.running')}</p>}
      {!busy && !run && <p className="wizard-muted">{t('wizard.notRun')}</p>}
      {!busy && run?.result.error && (
        <p className="wizard-host__error" role="alert">
          {t('wizard.hostError', { message: run.result.error })}
        </p>
      )}
      {!busy && run && !run.result.error && (
        <ul className="wizard-rows">
          {items.map((item) => {
            const result = results.get(item.id);
            return result ? <ResultRow key={item.id} item={item} result={result} host={host} language={language} onFix={onFix} /> : null;
          })}
        </ul>
      )}
    </section>
  );
}

interface ResultRowProps {
  item: GuideItemView;
  result: ItemResult;
  host: HostProfile;
  language: Language;
  /** Absent where the step offers the item's action itself (Step 2's pull and start). */
  onFix?(host: HostProfile, item: GuideItemView): void;
}

export function ResultRow({ item, result, host, language, onFix }: ResultRowProps) {
  const { t } = useTranslation();
  const title = item.title[language];
  return (
    <li className={`wizard-row wizard-row--${result.status}`} aria-label={title}>
      <StatusMark status={result.status} />
      <div className="wizard-row__body">
        <h4>{title}</h4>
        <p>{result.summary[language]}</p>
        <div className="wizard-row__more">
          {result.evidence && (
            <details>
              <summary>{t('wizard.evidence')}</summary>
              <pre className="wizard-pre">{result.evidence}</pre>
            </details>
          )}
          <details>
            <summary>{t('wizard.why')}</summary>
            <p className="wizard-explanation">{item.explanation[language]}</p>
          </details>
        </div>
      </div>
      {onFix && item.fix && result.status !== 'pass' && (
        <button type="button" className="button button--small" aria-label={t('wizard.fixLabel', { item: title, host: host.name })} onClick={() => onFix(host, item)}>
          {t('wizard.fix')}
        </button>
      )}
    </li>
  );
}
