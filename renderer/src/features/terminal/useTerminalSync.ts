import { useEffect } from 'react';
import { useApi } from '../../api/ApiContext';
import { useAppStore } from '../../store/appStore';
import type { TerminalDataRouter } from './terminalDataRouter';

/**
 * Output to the router, state changes to the store, terminals still open from before a reload
 * back as tabs, and the guide's container name for one-click container shells.
 */
export function useTerminalSync(router: TerminalDataRouter): void {
  const api = useApi();
  useEffect(() => {
    const store = useAppStore.getState();
    let live = true;
    const unsubscribers = [api.terminal.onDidData(router.receive), api.terminal.onDidChange(store.terminalChanged)];
    api.terminal.list().then(
      (infos) => live && store.terminalsListed(infos),
      // Nothing to bring back; new terminals still open.
      () => undefined,
    );
    api.guide.get().then(
      (guide) => live && store.guideContainerReceived(guide.defaults.containerName),
      // Without the guide the container is typed in the new-terminal form instead.
      () => undefined,
    );
    return () => {
      live = false;
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [api, router]);
}
