import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { Language } from '../../../../shared/settings/settings';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import { selectConnectedHosts } from '../../store/selectors/terminalSelectors';
import '../../styles/terminal.css';
import { NewTerminalDialog } from './NewTerminalDialog';
import { tabTitle } from './tabDisplay';
import { TerminalDataRouter } from './terminalDataRouter';
import { TerminalPane } from './TerminalPane';
import { TerminalSettingsDialog } from './TerminalSettingsDialog';
import { TerminalStart } from './TerminalStart';
import { TerminalTabStrip } from './TerminalTabStrip';
import type { TabView } from './TerminalTabStrip';
import { useTerminalSync } from './useTerminalSync';

/** Terminal tabs on connected hosts. Stays mounted behind the other screens, so shells and scrollback survive a switch. */
export function TerminalScreen() {
  const { t, i18n } = useTranslation();
  const language: Language = i18n.language === 'zh' ? 'zh' : 'en';
  const [router] = useState(() => new TerminalDataRouter());
  useTerminalSync(router);
  const tabs = useAppStore((state) => state.terminalTabs);
  const activeKey = useAppStore((state) => state.activeTerminalTab);
  const profiles = useAppStore((state) => state.hostProfiles);
  const connected = useAppStore(useShallow(selectConnectedHosts));
  const [dialog, setDialog] = useState<'new' | 'settings' | null>(null);

  const hostName = (id: string) => profiles.find((profile) => profile.id === id)?.name ?? id;
  const views: TabView[] = tabs.map((tab) => ({ tab, title: tabTitle(tab, hostName(tab.hostId), t, language), tabId: `${tab.key}-tab`, panelId: `${tab.key}-panel` }));
  const activeHost = tabs.find((tab) => tab.key === activeKey)?.hostId ?? null;

  return (
    <div className="terminal-screen">
      {views.length === 0 ? (
        connected.length === 0 ? (
          <EmptyState icon={<Icon name="terminal" size={40} />} title={t('terminal.emptyTitle')}>
            {t('terminal.emptyBody')}
          </EmptyState>
        ) : (
          <TerminalStart hosts={connected} onNew={() => setDialog('new')} />
        )
      ) : (
        <>
          <TerminalTabStrip views={views} activeKey={activeKey} onNew={() => setDialog('new')} onSettings={() => setDialog('settings')} />
          <div className="terminal-screen__panes">
            {views.map((view) => (
              <TerminalPane key={view.tab.key} tab={view.tab} title={view.title} active={view.tab.key === activeKey} router={router} tabId={view.tabId} panelId={view.panelId} />
            ))}
          </div>
        </>
      )}
      {dialog === 'new' && <NewTerminalDialog hosts={connected} initialHost={activeHost} onClose={() => setDialog(null)} />}
      {dialog === 'settings' && <TerminalSettingsDialog onClose={() => setDialog(null)} />}
    </div>
  );
}
