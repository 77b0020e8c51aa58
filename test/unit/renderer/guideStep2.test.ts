import { describe, expect, it } from 'vitest';
import { defaultDockerRunOptions } from '../../../shared/guide/dockerRunForm';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import type { ActionEvent, ActionRecord, ItemResult, WizardProgress } from '../../../shared/guide/wizardApi';
import {
  formErrors,
  initialAnswers,
  messagesByField,
  npuMessages,
  paramError,
  usableAnswers,
  withMountAdded,
  withMountChanged,
  withMountRemoved,
  withNpuToggled,
} from '../../../renderer/src/features/guide/containerForm';
import { actionKey, hostProgress, lastAction, savedRuns, withActionEvent, withCheckResults, withOutput } from '../../../renderer/src/features/guide/guideProgress';

const HOST = 'host-render-1';
const options = defaultDockerRunOptions(guide.dockerRun);
const answers = { params: guide.defaults, options };
const item = (id: string, status: ItemResult['status']): ItemResult => ({ id, status, summary: { zh: id, en: id }, evidence: '' });
const action = (state: ActionRecord['state'], startedAt = 10): ActionRecord => ({
  stepId: 'container',
  itemId: 'container',
  state,
  startedAt,
  finishedAt: state === 'running' ? null : startedAt + 5,
  commands: ['docker run …'],
  progress: null,
  failure: null,
  errors: [],
});
const event = (record: ActionRecord, chunk: string | null = null, recheck: ItemResult[] = []): ActionEvent => ({ hostId: HOST, action: record, chunk: chunk === null ? null : { command: 0, text: chunk }, recheck });

describe('Step 2’s progress in the window', () => {
  const checked: WizardProgress = withCheckResults({ hosts: {} }, 'container', [{ hostId: HOST, checkedAt: 1, items: [item('image', 'pass'), item('container', 'fail'), item('container-npu', 'fail')], error: null }], guide.defaults);

  it('keeps a check’s results and answers per host', () => {
    expect(hostProgress(checked, HOST)).toEqual({ params: guide.defaults, options: null, steps: { container: { checkedAt: 1, items: [item('image', 'pass'), item('container', 'fail'), item('container-npu', 'fail')], error: null } }, actions: [] });
    expect(hostProgress(checked, 'host-other-1')).toEqual({ params: null, options: null, steps: {}, actions: [] });
  });

  it('follows an action and takes the items it checked again, keeping the others', () => {
    const running = withActionEvent(checked, event(action('running')));
    expect(lastAction(hostProgress(running, HOST), 'container', 'container')?.state).toBe('running');
    const done = withActionEvent(running, event(action('done'), null, [item('container', 'pass'), item('container-npu', 'pass')]));
    const host = hostProgress(done, HOST);
    expect(host.actions).toEqual([action('done')]);
    expect(host.steps.container).toEqual({ checkedAt: 15, items: [item('image', 'pass'), item('container', 'pass'), item('container-npu', 'pass')], error: null });
  });

  it('collects an action’s output without terminal escapes, afresh for each run', () => {
    const key = actionKey(HOST, 'container', 'container');
    let outputs = withOutput({}, event(action('running'), '\x1b[1mabc'));
    outputs = withOutput(outputs, event(action('running'), 'def\n'));
    expect(outputs[key]).toEqual({ startedAt: 10, text: 'abcdef\n' });
    expect(withOutput(outputs, event(action('running', 99), 'new'))[key]).toEqual({ startedAt: 99, text: 'new' });
    expect(withOutput(outputs, event(action('done')))).toBe(outputs);
    const long = withOutput({}, event(action('running'), 'x'.repeat(40_000)));
    expect(long[key]?.text.length).toBe(32 * 1024);
  });

  it('shows Step 1 results saved before the window opened as if it had run them', () => {
    const saved = withCheckResults({ hosts: {} }, 'environment', [{ hostId: HOST, checkedAt: 3, items: [item('ssh', 'pass')], error: null }], guide.defaults);
    expect(savedRuns(saved, 'environment', guide.defaults)).toEqual({ [HOST]: { result: { hostId: HOST, checkedAt: 3, items: [item('ssh', 'pass')], error: null }, params: guide.defaults } });
    expect(savedRuns(saved, 'container', guide.defaults)).toEqual({});
  });
});

describe('Step 2’s form', () => {
  it('starts from the host’s own answers, else Step 1’s and the guide’s', () => {
    const own = { ...guide.defaults, containerName: 'mine' };
    expect(initialAnswers({ params: own, options: { ...options, npus: [1] }, steps: {}, actions: [] }, guide.defaults, options)).toEqual({ params: own, options: { ...options, npus: [1] } });
    expect(initialAnswers({ params: null, options: null, steps: {}, actions: [] }, guide.defaults, options)).toEqual(answers);
  });

  it('toggles cards in order and edits, adds and removes mounts', () => {
    expect(withNpuToggled(options, 3).npus).toEqual([0, 1, 2, 4, 5, 6, 7]);
    expect(withNpuToggled(withNpuToggled(options, 3), 3).npus).toEqual(options.npus);
    const added = withMountAdded(options);
    expect(added.mounts).toHaveLength(options.mounts.length + 1);
    expect(withMountChanged(added, 4, { host: '/data', readOnly: true }).mounts[4]).toEqual({ host: '/data', container: '', readOnly: true });
    expect(withMountRemoved(options, 0).mounts).toEqual(options.mounts.slice(1));
  });

  it('says each mistake under its field, and a held card under that card', () => {
    const errors = formErrors({ params: { ...guide.defaults, containerName: 'qwen vl' }, options: withMountChanged(options, 3, { host: 'relative' }) });
    const byField = messagesByField(errors);
    expect([...byField.keys()]).toEqual(['containerName', 'mounts.3.host']);
    expect(formErrors(answers)).toEqual([]);
    const held = { zh: '占用', en: 'held' };
    expect([...npuMessages({ ...options, npus: [2, 5] }, [{ field: 'npus.1', message: held }])]).toEqual([[5, held]]);
  });

  it('pulls with a valid image whatever the container form holds meanwhile', () => {
    const typing = { params: { ...guide.defaults, image: 'swr.example.com/a/b:1', containerName: 'bad name' }, options: { ...options, shmSize: '64 g' } };
    expect(usableAnswers(typing, answers)).toEqual({ params: { ...guide.defaults, image: 'swr.example.com/a/b:1' }, options });
    expect(paramError('image', 'Not An Image')?.en).toContain('Enter an image reference');
    expect(paramError('image', guide.defaults.image)).toBeNull();
  });
});
