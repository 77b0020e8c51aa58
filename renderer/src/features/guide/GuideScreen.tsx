import { useTranslation } from 'react-i18next';
import { modelartsQwenVl6310 } from '../../../../shared/guide/modelartsQwenVl6310';
import type { Language } from '../../../../shared/settings/settings';
import { Icon } from '../../components/icons';

export function GuideScreen() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const guide = modelartsQwenVl6310;
  return (
    <div className="guide-screen">
      <header className="screen-header">
        <h1>{guide.title[language]}</h1>
      </header>
      <div className="callout" role="note">
        <Icon name="server" />
        <div>
          <strong>{t('guide.emptyTitle')}</strong>
          <p>{t('guide.emptyBody')}</p>
        </div>
      </div>
      <ol className="guide-steps" aria-label={t('guide.steps')}>
        {guide.steps.map((step, index) => (
          <li key={step.id} className="guide-step">
            <span className="guide-step__number" aria-hidden="true">
              {index + 1}
            </span>
            <div className="guide-step__text">
              <h2>
                <span className="visually-hidden">{t('guide.stepLabel', { n: index + 1 })}: </span>
                {step.title[language]}
              </h2>
              <p>{step.summary[language]}</p>
            </div>
            <span className="status-pill">{t('guide.notChecked')}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
