import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';

export function StatusBar() {
  const { t } = useTranslation();
  const runtime = useAppStore((state) => state.runtime);
  const version = useAppStore((state) => state.version);
  const link = useAppStore((state) => state.link);
  return (
    <footer className="status-bar">
      <span>{runtime ? `${t(`app.runtime.${runtime}`)} · ${version}` : ''}</span>
      {runtime === 'web' && (
        <span role="status" className={`status-bar__link status-bar__link--${link}`}>
          {t(`status.${link}`)}
        </span>
      )}
    </footer>
  );
}
