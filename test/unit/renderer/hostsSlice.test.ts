import { beforeEach, describe, expect, it } from 'vitest';
import type { HostStatus } from '../../../shared/hosts/hostProfile';
import type { PromptRequest } from '../../../shared/hosts/prompts';
import type { TransferJob } from '../../../shared/transfers/transferJob';
import { useAppStore } from '../../../renderer/src/store/appStore';
import { selectCurrentPrompt, selectHostName, selectQueuedPromptCount, selectTransferList } from '../../../renderer/src/store/selectors/hostsSelectors';

const HOST = 'host-0001-aaaa';
const status = (state: HostStatus['state']): HostStatus => ({ id: HOST, state, error: null, retryAt: null, attempt: 0, algorithms: null, rttMs: null, connectedAt: null });
const prompt = (promptId: string): PromptRequest => ({ kind: 'password', promptId, hostId: HOST, host: 'h', user: 'root', canRemember: false, rememberUnavailableReason: null });
const job = (jobId: string, startedAt: number): TransferJob => ({ hostId: HOST, direction: 'upload', localPath: '/a', remotePath: '/b', jobId, state: 'running', progress: null, summary: null, error: null, startedAt });
const initial = useAppStore.getState();

beforeEach(() => useAppStore.setState(initial, true));

describe('the hosts slice', () => {
  it('takes the list as the whole picture, then applies events on top', () => {
    const store = useAppStore.getState();
    store.statusReceived(status('connecting'));
    store.hostsListed({
      profiles: [{ id: HOST, name: 'devbox', host: 'h', port: 22, user: 'root', auth: 'auto', identityFile: null, jump: [] }],
      statuses: [status('connected')],
      prompts: [prompt('p1')],
      problems: ['Saved host #2 was ignored'],
      secrets: { canRemember: false, reason: null },
    });
    expect(useAppStore.getState().hostStatuses[HOST]?.state).toBe('connected');
    store.statusReceived(status('reconnecting'));
    expect(useAppStore.getState().hostStatuses[HOST]?.state).toBe('reconnecting');
    expect(selectHostName(HOST)(useAppStore.getState())).toBe('devbox');
    expect(selectHostName('host-gone-0000')(useAppStore.getState())).toBe('host-gone-0000');
    expect(useAppStore.getState().hostProblems).toEqual(['Saved host #2 was ignored']);
  });

  it('queues prompts once each, oldest first, and drops them when settled', () => {
    const store = useAppStore.getState();
    store.promptRequested(prompt('p1'));
    store.promptRequested(prompt('p2'));
    store.promptRequested(prompt('p1'));
    expect(selectCurrentPrompt(useAppStore.getState())?.promptId).toBe('p1');
    expect(selectQueuedPromptCount(useAppStore.getState())).toBe(1);
    store.promptSettled('p1');
    expect(selectCurrentPrompt(useAppStore.getState())?.promptId).toBe('p2');
    store.promptSettled('p2');
    expect(selectCurrentPrompt(useAppStore.getState())).toBeUndefined();
    expect(selectQueuedPromptCount(useAppStore.getState())).toBe(0);
  });

  it('keeps the latest state of each transfer, newest job first', () => {
    const store = useAppStore.getState();
    store.transfersListed([job('old', 1), job('new', 2)]);
    store.transferUpdated({ ...job('old', 1), state: 'done' });
    expect(selectTransferList(useAppStore.getState()).map((entry) => [entry.jobId, entry.state])).toEqual([
      ['new', 'running'],
      ['old', 'done'],
    ]);
  });
});
