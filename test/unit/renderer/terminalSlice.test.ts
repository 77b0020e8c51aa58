import { beforeEach, describe, expect, it } from 'vitest';
import type { HostStatus } from '../../../shared/hosts/hostProfile';
import type { TerminalInfo } from '../../../shared/terminal/terminalApi';
import { useAppStore } from '../../../renderer/src/store/appStore';
import { selectConnectedHosts, selectContainerShell, selectTerminalTab } from '../../../renderer/src/store/selectors/terminalSelectors';

const HOST = 'host-0001-aaaa';
const initial = useAppStore.getState();
const info = (id: string, state: TerminalInfo['state'] = 'running'): TerminalInfo => ({ id, hostId: HOST, target: { kind: 'host' }, title: { en: 'node1 · root@10.0.0.5', zh: 'node1 · root@10.0.0.5' }, state, exitCode: null, reason: null, logFile: null });
const tabs = () => useAppStore.getState().terminalTabs;

beforeEach(() => useAppStore.setState(initial, true));

describe('the terminal slice', () => {
  it('brings the terminal screen forward with a new tab when any feature asks for a terminal', () => {
    useAppStore.getState().terminalRequested({ hostId: HOST, target: { kind: 'container', container: 'qwen-vl', user: 'ma-user' } });
    const state = useAppStore.getState();
    expect(state.screen).toBe('terminal');
    expect(state.terminalTabs).toHaveLength(1);
    expect(state.activeTerminalTab).toBe(state.terminalTabs[0]?.key);
    expect(state.terminalTabs[0]).toMatchObject({ hostId: HOST, info: null, openError: null, attempt: 0 });
  });

  it('follows the terminal it opened through its changes, and ignores other windows’ terminals', () => {
    const store = useAppStore.getState();
    store.terminalRequested({ hostId: HOST, target: { kind: 'host' } });
    const key = tabs()[0]?.key ?? '';
    store.terminalChanged(info('t1'));
    expect(tabs()[0]?.info).toBeNull();
    store.terminalOpened(key, info('t1'));
    store.terminalChanged({ ...info('t1', 'dropped'), reason: 'Keepalive timeout' });
    store.terminalChanged(info('t-other', 'exited'));
    expect(selectTerminalTab(key)(useAppStore.getState())?.info).toMatchObject({ state: 'dropped', reason: 'Keepalive timeout' });
    expect(tabs()).toHaveLength(1);
  });

  it('reopens in the same tab: a new attempt, nothing left of the old terminal', () => {
    const store = useAppStore.getState();
    store.terminalRequested({ hostId: HOST, target: { kind: 'host' } });
    const key = tabs()[0]?.key ?? '';
    store.terminalOpenFailed(key, 'No such container: qwen-vl');
    store.terminalReopened(key);
    expect(tabs()[0]).toMatchObject({ key, attempt: 1, info: null, openError: null });
  });

  it('shows the neighbour when the shown tab closes', () => {
    const store = useAppStore.getState();
    for (let i = 0; i < 3; i++) store.terminalRequested({ hostId: HOST, target: { kind: 'host' } });
    const [first, second, third] = tabs().map((tab) => tab.key);
    store.terminalTabSelected(second ?? '');
    store.terminalTabClosed(second ?? '');
    expect(useAppStore.getState().activeTerminalTab).toBe(third);
    store.terminalTabClosed(third ?? '');
    expect(useAppStore.getState().activeTerminalTab).toBe(first);
    store.terminalTabClosed(first ?? '');
    expect(useAppStore.getState().activeTerminalTab).toBeNull();
  });

  it('brings back terminals still open after a reload, once each, marked as adopted', () => {
    const store = useAppStore.getState();
    store.terminalRequested({ hostId: HOST, target: { kind: 'host' } });
    store.terminalOpened(tabs()[0]?.key ?? '', info('mine'));
    store.terminalsListed([info('mine'), info('left-open')]);
    store.terminalsListed([info('left-open')]);
    expect(tabs().map((tab) => [tab.info?.id, tab.adopted])).toEqual([
      ['mine', false],
      ['left-open', true],
    ]);
  });

  it('offers the container shell last used on a host, else the guide’s as ma-user', () => {
    const store = useAppStore.getState();
    expect(selectContainerShell(HOST)(useAppStore.getState())).toBeNull();
    store.guideContainerReceived('qwen-vl');
    expect(selectContainerShell(HOST)(useAppStore.getState())).toEqual({ container: 'qwen-vl', user: 'ma-user' });
    store.terminalRequested({ hostId: HOST, target: { kind: 'container', container: 'qwen-vl-2', user: 'root' } });
    expect(selectContainerShell(HOST)(useAppStore.getState())).toEqual({ container: 'qwen-vl-2', user: 'root' });
    expect(selectContainerShell('another-host')(useAppStore.getState())).toEqual({ container: 'qwen-vl', user: 'ma-user' });
  });

  it('lists only connected hosts as places to open a terminal', () => {
    const status = (id: string, state: HostStatus['state']): HostStatus => ({ id, state, error: null, retryAt: null, attempt: 0, algorithms: null, rttMs: null, connectedAt: null });
    const profile = (id: string) => ({ id, name: id, host: 'h', port: 22, user: 'root', auth: 'auto' as const, identityFile: null, jump: [] });
    useAppStore.getState().hostsListed({
      profiles: [profile('a'), profile('b'), profile('c')],
      statuses: [status('a', 'connected'), status('b', 'reconnecting')],
      prompts: [],
      problems: [],
      secrets: { canRemember: false, reason: null },
    });
    expect(selectConnectedHosts(useAppStore.getState()).map((host) => host.id)).toEqual(['a']);
  });
});
