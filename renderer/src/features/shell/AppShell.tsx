import { useRef } from 'react';
import type { CSSProperties, JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import { SCREENS } from '../../store/uiSlice';
import type { Screen } from '../../store/uiSlice';
import { DatasetScreen } from '../dataset/DatasetScreen';
import { GuideScreen } from '../guide/GuideScreen';
import { HostSidebar } from '../hosts/HostSidebar';
import { PromptDialog } from '../hosts/PromptDialog';
import { useHostsSync } from '../hosts/useHostsSync';
import { LossPanel } from '../loss/LossPanel';
import { TerminalScreen } from '../terminal/TerminalScreen';
import { ShortcutsDialog } from './ShortcutsDialog';
import { SidePanelSplitter } from './SidePanelSplitter';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';
import { useAppearance } from './useAppearance';
import { useSettingsSync } from './useSettingsSync';
import { useShortcuts } from './useShortcuts';

const SCREEN_VIEWS: Record<Screen, () => JSX.Element> = {
  guide: GuideScreen,
  terminal: TerminalScreen,
  dataset: DatasetScreen,
};

export function AppShell() {
  useSettingsSync();
  useHostsSync();
  useAppearance();
  useShortcuts();
  const { t } = useTranslation();
  const shellRef = useRef<HTMLDivElement>(null);
  const screen = useAppStore((state) => state.screen);
  const hostsOpen = useAppStore((state) => state.hostsOpen);
  const sidePanel = useAppStore((state) => state.settings.sidePanel);

  return (
    <div
      ref={shellRef}
      className="app-shell"
      data-hosts={hostsOpen ? 'open' : 'closed'}
      data-side-panel={sidePanel.open ? 'open' : 'closed'}
      style={{ '--side-panel-width': `${sidePanel.width}px` } as CSSProperties}
    >
      <TopBar />
      {hostsOpen && <HostSidebar />}
      <main className="work-area">
        {SCREENS.map((id) => {
          const View = SCREEN_VIEWS[id];
          // Screens stay mounted when hidden: a terminal or a half-drawn box must survive a tab switch.
          return (
            <section key={id} id={`screen-${id}`} role="tabpanel" aria-labelledby={`tab-${id}`} aria-label={t(`nav.${id}`)} hidden={screen !== id} className="screen">
              <View />
            </section>
          );
        })}
      </main>
      {sidePanel.open && <SidePanelSplitter shellRef={shellRef} />}
      {sidePanel.open && <LossPanel />}
      <StatusBar />
      <ShortcutsDialog />
      {/* Outside the sidebar: a login question must reach the user even with the sidebar hidden. */}
      <PromptDialog />
    </div>
  );
}
