import { useEffect } from 'react';
import { useApi } from '../../api/ApiContext';
import { useAppStore } from '../../store/appStore';
import { errorText } from './useAsyncTask';

/**
 * Mirrors hosts, prompts and transfers from the main process. Events are subscribed before the
 * lists are asked for: the transport keeps order, so a list replaces exactly the events before it.
 */
export function useHostsSync(): void {
  const api = useApi();
  useEffect(() => {
    const store = useAppStore.getState();
    let live = true;
    const unsubscribers = [
      api.hosts.onDidChangeProfiles(store.profilesReceived),
      api.hosts.onDidChangeStatus(store.statusReceived),
      api.hosts.onDidRequestPrompt(store.promptRequested),
      api.hosts.onDidSettlePrompt(({ promptId }) => store.promptSettled(promptId)),
      api.transfers.onDidUpdate(store.transferUpdated),
    ];
    api.hosts.list().then(
      (overview) => live && store.hostsListed(overview),
      (error: unknown) => live && store.hostsListFailed(errorText(error)),
    );
    api.transfers.list().then(
      (jobs) => live && store.transfersListed(jobs),
      (error: unknown) => live && store.hostsListFailed(errorText(error)),
    );
    return () => {
      live = false;
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [api]);
}
