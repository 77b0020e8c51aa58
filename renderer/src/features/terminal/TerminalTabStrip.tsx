import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext';
import { Icon } from '../../components/icons';
import { useAppStore } from '../../store/appStore';
import type { TerminalTab } from '../../store/terminalSlice';
import { CloseTerminalDialog } from './CloseTerminalDialog';
import { TAB_DOT, tabState } from './tabDisplay';

export interface TabView {
  tab: TerminalTab;
  title: string;
  tabId: string;
  panelId: string;
}

interface TerminalTabStripProps {
  views: readonly TabView[];
  activeKey: string | null;
  onNew(): void;
  onSettings(): void;
}

const ignore = () => undefined;

/** Settings, drawn like the shared line icons (components/icons.tsx). */
function SlidersIcon() {
  return (
    <svg width={18} height={18} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true" focusable="false">
      <path d="M4 6h9M17 6h3M15 4v4M4 12h3M11 12h9M9 10v4M4 18h11M19 18h1M17 16v4" />
    </svg>
  );
}

export function TerminalTabStrip({ views, activeKey, onNew, onSettings }: TerminalTabStripProps) {
  const { t } = useTranslation();
  const api = useApi();
  const terminalTabSelected = useAppStore((state) => state.terminalTabSelected);
  const terminalTabClosed = useAppStore((state) => state.terminalTabClosed);
  const [confirm, setConfirm] = useState<{ view: TabView; command: string | null } | null>(null);
  const listRef = useRef<HTMLDivElement>(null);

  const close = ({ tab }: TabView) => {
    // Ended or not, the main process may still hold it; closing an unknown one is harmless.
    if (tab.info) api.terminal.close({ id: tab.info.id }).catch(ignore);
    terminalTabClosed(tab.key);
  };

  const requestClose = async (view: TabView) => {
    const info = view.tab.info;
    if (info?.state === 'running') {
      try {
        const busy = await api.terminal.busy({ id: info.id });
        if (busy.busy) {
          setConfirm({ view, command: busy.command });
          return;
        }
      } catch {
        // The terminal is already gone: nothing runs in it.
      }
    }
    close(view);
  };

  // Arrow keys move between tabs (one tab stop for the whole list), as in the screen tabs above.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = views.findIndex((view) => view.tab.key === activeKey);
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? views.length - 1 : null;
    if (next === null || views.length === 0) return;
    event.preventDefault();
    const target = views[(next + views.length) % views.length];
    if (!target) return;
    terminalTabSelected(target.tab.key);
    listRef.current?.querySelector<HTMLElement>(`#${CSS.escape(target.tabId)}`)?.focus();
  };

  return (
    <div className="terminal-tabs">
      <div ref={listRef} role="tablist" aria-label={t('terminal.tabs')} className="terminal-tabs__list" onKeyDown={onKeyDown}>
        {views.map((view) => {
          const state = tabState(view.tab);
          const selected = view.tab.key === activeKey;
          return (
            <div key={view.tab.key} className="terminal-tab" data-selected={selected} data-state={state}>
              <button
                type="button"
                role="tab"
                id={view.tabId}
                aria-selected={selected}
                aria-controls={view.panelId}
                tabIndex={selected ? 0 : -1}
                className="terminal-tab__select"
                title={`${view.title} — ${t(`terminal.state.${state}`)}`}
                onClick={() => terminalTabSelected(view.tab.key)}
              >
                <span className={`status-dot status-dot--${TAB_DOT[state]}`} aria-hidden="true" />
                <span className="terminal-tab__title">{view.title}</span>
                <span className="visually-hidden">{t(`terminal.state.${state}`)}</span>
              </button>
              <button type="button" className="icon-button icon-button--small terminal-tab__close" aria-label={t('terminal.close', { title: view.title })} title={t('terminal.close', { title: view.title })} onClick={() => void requestClose(view)}>
                <Icon name="close" size={14} />
              </button>
            </div>
          );
        })}
      </div>
      <button type="button" className="icon-button" aria-label={t('terminal.newTerminalLabel')} title={t('terminal.newTerminalLabel')} onClick={onNew}>
        <Icon name="plus" size={18} />
      </button>
      <button type="button" className="icon-button" aria-label={t('terminal.settings')} title={t('terminal.settings')} onClick={onSettings}>
        <SlidersIcon />
      </button>
      {confirm && (
        <CloseTerminalDialog
          title={confirm.view.title}
          command={confirm.command}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            close(confirm.view);
          }}
        />
      )}
    </div>
  );
}
