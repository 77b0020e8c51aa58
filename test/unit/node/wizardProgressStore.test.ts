import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WizardProgressStore } from '../../../electron/main/services/guide/wizardProgressStore';
import { defaultDockerRunOptions } from '../../../shared/guide/dockerRunForm';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import type { ActionRecord, ItemResult } from '../../../shared/guide/wizardApi';

const HOST = 'host-node-01';
const item = (id: string, status: ItemResult['status']): ItemResult => ({ id, status, summary: { zh: id, en: id }, evidence: '' });
const pull = (state: ActionRecord['state']): ActionRecord => ({ stepId: 'container', itemId: 'image', state, startedAt: 1, finishedAt: null, commands: ['docker pull x'], progress: null, failure: null, errors: [] });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qvl-progress-'));
  file = join(dir, 'guide-progress.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the wizard’s progress file', () => {
  it('keeps answers, results and the last action of each item, and reads them back', async () => {
    const store = new WizardProgressStore(file);
    const options = defaultDockerRunOptions(guide.dockerRun);
    await store.recordAnswers(HOST, guide.defaults, options);
    await store.recordResults(HOST, 'container', { checkedAt: 5, items: [item('image', 'fail'), item('container', 'fail')], error: null }, 'step');
    await store.recordResults(HOST, 'container', { checkedAt: 9, items: [item('container', 'pass'), item('container-npu', 'pass')], error: null }, 'items');
    await store.recordAction(HOST, pull('running'), true);
    await store.recordAction(HOST, { ...pull('done'), finishedAt: 8 }, true);
    await store.flushed();
    const read = await new WizardProgressStore(file).snapshot();
    expect(read).toEqual(await store.snapshot());
    expect(read.hosts[HOST]).toMatchObject({ params: guide.defaults, options, actions: [{ itemId: 'image', state: 'done' }] });
    expect(read.hosts[HOST]?.steps.container).toEqual({ checkedAt: 9, items: [item('image', 'fail'), item('container', 'pass'), item('container-npu', 'pass')], error: null });
  });

  it('brings back an action that was running as interrupted', async () => {
    const store = new WizardProgressStore(file);
    await store.recordAction(HOST, pull('running'), true);
    await store.flushed();
    expect((await new WizardProgressStore(file).snapshot()).hosts[HOST]?.actions.map((action) => action.state)).toEqual(['interrupted']);
  });

  it('does not keep answers that break their rules, and drops hosts it cannot read', async () => {
    const store = new WizardProgressStore(file);
    await store.recordAnswers(HOST, guide.defaults, null);
    await store.recordAnswers(HOST, { ...guide.defaults, containerWorkDir: '/home/ma-user' }, null);
    expect((await store.snapshot()).hosts[HOST]?.params).toEqual(guide.defaults);
    await store.flushed();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { hosts: Record<string, unknown> };
    writeFileSync(file, JSON.stringify({ hosts: { ...saved.hosts, 'host-node-02': { params: 'nonsense' }, 'NOT AN ID': saved.hosts[HOST] } }));
    expect(Object.keys((await new WizardProgressStore(file).snapshot()).hosts)).toEqual([HOST]);
  });

  it('starts empty without a file, or with a broken one', async () => {
    expect(await new WizardProgressStore(file).snapshot()).toEqual({ hosts: {} });
    writeFileSync(file, '{ not json');
    expect(await new WizardProgressStore(file).snapshot()).toEqual({ hosts: {} });
  });
});
