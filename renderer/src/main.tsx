import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Language } from '../../shared/settings/settings';
import { ApiProvider } from './api/ApiContext';
import { connectApi } from './api/connectApi';
import { AppShell } from './features/shell/AppShell';
import { initI18n } from './i18n/i18n';
import { useAppStore } from './store/appStore';
import { selectLanguage } from './store/selectors/languageSelectors';
import './styles/app.css';

async function start(): Promise<void> {
  const { api, onLinkStatus } = connectApi();
  const store = useAppStore.getState();
  onLinkStatus?.(store.linkChanged);
  const [info, settings] = await Promise.all([api.app.getInfo(), api.settings.get()]);
  store.appInfoReceived(info);
  store.settingsReceived(settings);
  const urlLanguage = Language.safeParse(new URLSearchParams(location.search).get('lang'));
  store.languageOverridden(urlLanguage.success ? urlLanguage.data : info.launchLanguage);

  await initI18n(selectLanguage(navigator.languages)(useAppStore.getState()));
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing from index.html');
  createRoot(root).render(
    <StrictMode>
      <ApiProvider value={api}>
        <AppShell />
      </ApiProvider>
    </StrictMode>,
  );
}

start().catch((error: unknown) => {
  document.body.textContent = `Qwen-VL Studio could not start: ${error instanceof Error ? error.message : String(error)}`;
});
