import { describe, expect, it } from 'vitest';
import { resolveParams } from '../../../shared/guide/guideParams';
import { modelartsQwenVl6310 } from '../../../shared/guide/modelartsQwenVl6310';
import type { HostCheckResult, ItemResult } from '../../../shared/guide/wizardApi';
import type { HostProfile, HostStatus } from '../../../shared/hosts/hostProfile';
import { connectedHosts, countStatuses, errorsByField, selectedHosts, stepOneGate, togglePick, withRecheck } from '../../../renderer/src/features/guide/wizardState';
import type { HostRun } from '../../../renderer/src/features/guide/wizardState';

const profile = (id: string): HostProfile => ({ id, name: id, host: '10.0.0.1', port: 22, user: 'root', auth: 'password', identityFile: null, jump: [] });
const status = (id: string, state: HostStatus['state']): HostStatus => ({ id, state, error: null, retryAt: null, attempt: 0, algorithms: null, rttMs: null, connectedAt: null });
const item = (id: string, itemStatus: ItemResult['status']): ItemResult => ({ id, status: itemStatus, summary: { zh: id, en: id }, evidence: '' });
const run = (hostId: string, items: ItemResult[], error: string | null = null): HostRun => {
  const result: HostCheckResult = { hostId, checkedAt: 0, items, error };
  return { result, params: modelartsQwenVl6310.defaults };
};

describe('the guide wizard’s step 1', () => {
  it('counts each status', () => {
    expect(countStatuses([item('a', 'pass'), item('b', 'pass'), item('c', 'warn'), item('d', 'fail')])).toEqual({ pass: 2, warn: 1, fail: 1 });
    expect(countStatuses([])).toEqual({ pass: 0, warn: 0, fail: 0 });
  });

  it('offers only connected hosts, all of them until the user picks', () => {
    const [a, b, c] = [profile('a'), profile('b'), profile('c')];
    const connected = connectedHosts([a, b, c], { a: status('a', 'connected'), b: status('b', 'reconnecting') });
    expect(connected).toEqual([a]);
    const both = [a, c];
    expect(selectedHosts(both, null)).toEqual(both);
    const picked = togglePick(null, both, 'a');
    expect(picked).toEqual(['c']);
    expect(togglePick(picked, both, 'a')).toEqual(['c', 'a']);
    // A picked host that disconnected drops out of the selection without being forgotten.
    expect(selectedHosts([a], ['a', 'c'])).toEqual([a]);
  });

  it('opens later steps only when every selected host was checked without a failure', () => {
    expect(stepOneGate([], {})).toBe('unchecked');
    expect(stepOneGate(['a', 'b'], { a: run('a', [item('x', 'pass')]) })).toBe('unchecked');
    expect(stepOneGate(['a'], { a: run('a', [item('x', 'pass'), item('y', 'warn')]) })).toBe('open');
    expect(stepOneGate(['a', 'b'], { a: run('a', [item('x', 'pass')]), b: run('b', [item('x', 'fail')]) })).toBe('failing');
    expect(stepOneGate(['a'], { a: run('a', [], 'connection lost') })).toBe('failing');
    // A failing host that is no longer selected does not hold the others back.
    expect(stepOneGate(['a'], { a: run('a', [item('x', 'pass')]), b: run('b', [item('x', 'fail')]) })).toBe('open');
  });

  it('replaces only the re-checked row after a fix', () => {
    const before = run('a', [item('x', 'fail'), item('y', 'warn')]);
    const after = withRecheck(before, item('x', 'pass'));
    expect(after.result.items.map((row) => row.status)).toEqual(['pass', 'warn']);
    expect(before.result.items[0]?.status).toBe('fail');
  });

  it('puts the first message of each invalid parameter under its field', () => {
    const resolved = resolveParams(modelartsQwenVl6310.defaults, { containerName: 'my container', workDir: 'relative' });
    expect(resolved.ok).toBe(false);
    const errors = resolved.ok ? {} : errorsByField(resolved.errors);
    expect(Object.keys(errors).sort()).toEqual(['containerName', 'workDir']);
    expect(errors.containerName?.zh).toContain('容器名称');
    expect(errorsByField([{ field: '', message: { zh: '整体', en: 'form' } }])).toEqual({});
  });
});
