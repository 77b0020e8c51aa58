import { useTranslation } from 'react-i18next';
import { LanguagePreference, ThemePreference } from '../../../../shared/settings/settings';
import { Icon } from '../../components/icons';
import type { IconName } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import { SCREENS } from '../../store/uiSlice';
import { useUpdateSettings } from './useSettingsSync';

const SCREEN_ICONS: Record<(typeof SCREENS)[number], IconName> = { guide: 'guide', terminal: 'terminal', dataset: 'dataset' };

export function TopBar() {
  const { t } = useTranslation();
  const screen = useAppStore((state) => state.screen);
  const screenSelected = useAppStore((state) => state.screenSelected);
  const hostsOpen = useAppStore((state) => state.hostsOpen);
  const hostsToggled = useAppStore((state) => state.hostsToggled);
  const languagePreference = useAppStore((state) => state.settings.language);
  const languageOverride = useAppStore((state) => state.languageOverride);
  const theme = useAppStore((state) => state.settings.theme);
  const lossOpen = useAppStore((state) => state.settings.sidePanel.open);
  const shortcutsToggled = useAppStore((state) => state.shortcutsToggled);
  const updateSettings = useUpdateSettings();

  return (
    <header className="top-bar">
      <button type="button" className="icon-button" aria-label={t('toolbar.toggleHosts')} aria-pressed={hostsOpen} title={t('toolbar.toggleHosts')} onClick={hostsToggled}>
        <Icon name="sidebar" />
      </button>
      <span className="top-bar__brand">{t('app.name')}</span>
      <nav className="top-bar__tabs" role="tablist" aria-label={t('nav.label')}>
        {SCREENS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={screen === id}
            aria-controls={`screen-${id}`}
            tabIndex={screen === id ? 0 : -1}
            className="top-bar__tab"
            onClick={() => screenSelected(id)}
            onKeyDown={(event) => {
              const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const next = SCREENS[(SCREENS.indexOf(id) + step + SCREENS.length) % SCREENS.length] ?? id;
              screenSelected(next);
              document.getElementById(`tab-${next}`)?.focus();
            }}
          >
            <Icon name={SCREEN_ICONS[id]} />
            <span>{t(`nav.${id}`)}</span>
          </button>
        ))}
      </nav>
      <div className="top-bar__tools">
        <select
          aria-label={t('toolbar.language')}
          title={t('toolbar.language')}
          value={languageOverride ?? languagePreference}
          onChange={(event) => updateSettings({ language: LanguagePreference.parse(event.target.value) })}
        >
          <option value="system">{t('toolbar.languageSystem')}</option>
          <option value="zh">中文</option>
          <option value="en">English</option>
        </select>
        <select aria-label={t('toolbar.theme')} title={t('toolbar.theme')} value={theme} onChange={(event) => updateSettings({ theme: ThemePreference.parse(event.target.value) })}>
          <option value="system">{t('toolbar.themeSystem')}</option>
          <option value="light">{t('toolbar.themeLight')}</option>
          <option value="dark">{t('toolbar.themeDark')}</option>
        </select>
        <button type="button" className="icon-button" aria-label={t('toolbar.shortcuts')} title={t('toolbar.shortcuts')} onClick={() => shortcutsToggled(true)}>
          <Icon name="keyboard" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('toolbar.toggleLoss')}
          aria-pressed={lossOpen}
          title={t('toolbar.toggleLoss')}
          onClick={() => updateSettings({ sidePanel: { open: !lossOpen } })}
        >
          <Icon name="panel" />
        </button>
      </div>
    </header>
  );
}
