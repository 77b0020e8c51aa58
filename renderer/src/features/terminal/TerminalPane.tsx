import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_SETTINGS, TERMINAL_FONT_SIZE } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { useAppStore } from '../../store/appStore';
import { selectHostName } from '../../store/selectors/hostsSelectors';
import type { TerminalTab } from '../../store/terminalSlice';
import { errorText } from '../hosts/useAsyncTask';
import { useUpdateSettings } from '../shell/useSettingsSync';
import { PasteDialog } from './PasteDialog';
import { splitInput } from './pasteText';
import { TerminalController } from './terminalController';
import type { TerminalLink } from './terminalController';
import type { TerminalDataRouter } from './terminalDataRouter';
import { TerminalSearchBar } from './TerminalSearchBar';
import { TerminalStatusBanner } from './TerminalStatusBanner';

/** terminal:write takes up to 1 MiB; a huge paste goes in pieces well below it. */
const INPUT_PIECE = 64 * 1024;

interface TerminalPaneProps {
  tab: TerminalTab;
  title: string;
  active: boolean;
  router: TerminalDataRouter;
  tabId: string;
  panelId: string;
}

/** The main process reports why a terminal ended through terminal:onDidChange; a failed call adds nothing. */
const ignore = () => undefined;

export function TerminalPane({ tab, title, active, router, tabId, panelId }: TerminalPaneProps) {
  const { t } = useTranslation();
  const api = useApi();
  const hostName = useAppStore(selectHostName(tab.hostId));
  const settings = useAppStore((state) => state.settings.terminal);
  const terminalOpened = useAppStore((state) => state.terminalOpened);
  const terminalOpenFailed = useAppStore((state) => state.terminalOpenFailed);
  const updateSettings = useUpdateSettings();
  const elementRef = useRef<HTMLDivElement>(null);
  const openedSize = useRef<{ cols: number; rows: number } | null>(null);
  const [controller, setController] = useState<TerminalController | null>(null);
  const [searchOpen, setSearchOpen] = useState(false);
  const [searchResults, setSearchResults] = useState<{ index: number; count: number } | null>(null);
  const [paste, setPaste] = useState<{ text: string; bracketed: boolean } | null>(null);
  const terminalId = tab.info?.id ?? null;
  const running = tab.info?.state === 'running';

  // The controller lives as long as the tab: a reopen keeps its screen and scrollback.
  useEffect(() => {
    const element = elementRef.current;
    if (!element) return;
    const created = new TerminalController(element, useAppStore.getState().settings.terminal, {
      pasteNeedsConfirmation: (text, bracketed) => setPaste({ text, bracketed }),
      searchRequested: () => setSearchOpen(true),
      searchResults: (index, count) => setSearchResults({ index, count }),
      zoomRequested: (step) => {
        const current = useAppStore.getState().settings.terminal.fontSize;
        const fontSize = step === 0 ? DEFAULT_SETTINGS.terminal.fontSize : Math.min(TERMINAL_FONT_SIZE.max, Math.max(TERMINAL_FONT_SIZE.min, current + step));
        if (fontSize !== current) updateSettings({ terminal: { fontSize } });
      },
    });
    setController(created);
    return () => {
      created.dispose();
      setController(null);
    };
  }, [updateSettings]);

  useEffect(() => controller?.applySettings(settings), [controller, settings]);

  // Opens a terminal for each attempt, sized to the view. An answer that arrives after the tab
  // went away (or, in development, after StrictMode's rehearsal unmount) closes what it opened.
  const needsOpen = terminalId === null && tab.openError === null;
  useEffect(() => {
    if (!controller || !needsOpen) return;
    let cancelled = false;
    const size = controller.size();
    router.open(() => api.terminal.open({ hostId: tab.hostId, target: tab.target, ...size })).then(
      (info) => {
        if (cancelled) {
          router.release(info.id);
          api.terminal.close({ id: info.id }).catch(ignore);
          return;
        }
        openedSize.current = size;
        terminalOpened(tab.key, info);
      },
      (error: unknown) => {
        if (!cancelled) terminalOpenFailed(tab.key, errorText(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, controller, needsOpen, router, tab.attempt, tab.hostId, tab.key, tab.target, terminalOpenFailed, terminalOpened]);

  // Output flows in for as long as the tab shows this terminal, even after it ended (its last words).
  // A terminal found after a reload may sit paused on output the old page never acknowledged:
  // acknowledging everything restarts it (the main process never counts below zero).
  const adopted = tab.adopted;
  useEffect(() => {
    if (!controller || terminalId === null) return;
    const release = router.attach(terminalId, controller);
    if (adopted) api.terminal.ack({ id: terminalId, chars: Number.MAX_SAFE_INTEGER }).catch(ignore);
    return release;
  }, [adopted, api, controller, router, terminalId]);

  // Input, size and acknowledgements go to the terminal while it runs.
  useEffect(() => {
    if (!controller || terminalId === null || !running) return;
    const id = terminalId;
    const link: TerminalLink = {
      send: (data) => {
        for (const piece of splitInput(data, INPUT_PIECE)) api.terminal.write({ id, data: piece }).catch(ignore);
      },
      resize: (cols, rows) => void api.terminal.resize({ id, cols, rows }).catch(ignore),
      ack: (chars) => void api.terminal.ack({ id, chars }).catch(ignore),
    };
    controller.attach(link, openedSize.current ?? controller.size());
    return () => controller.detach();
  }, [api, controller, running, terminalId]);

  useEffect(() => {
    if (active) controller?.focus();
  }, [active, controller]);

  const closeSearch = () => {
    setSearchOpen(false);
    setSearchResults(null);
    controller?.clearSearch();
  };

  return (
    <div id={panelId} role="tabpanel" aria-labelledby={tabId} hidden={!active} className="terminal-pane">
      <TerminalStatusBanner tab={tab} hostName={hostName} onReopen={() => controller?.writeNote(t('terminal.reopenedNote'))} />
      {searchOpen && controller && (
        <TerminalSearchBar
          results={searchResults}
          onFind={(term, backwards) => (backwards ? controller.findPrevious(term) : controller.findNext(term))}
          onClose={closeSearch}
        />
      )}
      <div className="terminal-pane__screen">
        <div ref={elementRef} className="terminal-pane__xterm" role="group" aria-label={t('terminal.region', { title })} data-terminal-id={terminalId ?? undefined} />
      </div>
      {paste && (
        <PasteDialog
          text={paste.text}
          bracketed={paste.bracketed}
          onCancel={() => {
            setPaste(null);
            controller?.focus();
          }}
          onConfirm={() => {
            setPaste(null);
            controller?.paste(paste.text);
          }}
        />
      )}
    </div>
  );
}
