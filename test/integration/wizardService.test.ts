import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WizardService } from '../../electron/main/services/guide/wizardService';
import type { SshSession } from '../../electron/main/services/ssh/sshSession';
import { modelartsQwenVl6310 } from '../../shared/guide/modelartsQwenVl6310';
import { startDevServer } from '../devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../devserver/simulatedDevServer';
import { keyHop, openSession } from '../support/sshTestKit';

let good: SimulatedDevServer;
let bad: SimulatedDevServer;
const sessions = new Map<string, SshSession>();
let wizard: WizardService;
const params = modelartsQwenVl6310.defaults;

beforeAll(async () => {
  [good, bad] = await Promise.all([startDevServer({ name: 'wizard-good' }), startDevServer({ name: 'wizard-bad', dockerDaemon: 'down', npu: 'alarm' })]);
  sessions.set('host-good-01', await openSession([keyHop(good)]));
  sessions.set('host-bad-001', await openSession([keyHop(bad)]));
  wizard = new WizardService(modelartsQwenVl6310, async (id) => {
    const session = sessions.get(id);
    if (!session) throw new Error(`no session for ${id}`);
    return session;
  });
});
afterAll(async () => {
  for (const session of sessions.values()) session.close();
  await Promise.all([good?.stop(), bad?.stop()]);
});

describe('the wizard service', () => {
  it('describes the guide without its functions, every Step 1 item with zh and en text', () => {
    const view = wizard.view();
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    const step = view.steps[0];
    expect(step?.items.map((item) => item.id)).toEqual(expect.arrayContaining(['ssh', 'npu-cards', 'docker-daemon', 'ip-forward', 'metadata-guard']));
    for (const item of step?.items ?? []) expect(item.explanation.zh.length && item.explanation.en.length).toBeTruthy();
  });

  it('checks Step 1 on two hosts side by side, with the evidence behind each verdict', async () => {
    const [first, second] = await wizard.check(['host-good-01', 'host-bad-001'], 'environment', params);
    const status = (result: typeof first, id: string) => result?.items.find((item) => item.id === id)?.status;
    expect(first?.error).toBeNull();
    expect(status(first, 'npu-health')).toBe('pass');
    expect(status(first, 'docker-daemon')).toBe('pass');
    expect(status(second, 'npu-health')).toBe('fail');
    expect(status(second, 'docker-daemon')).toBe('fail');
    expect(second?.items.find((item) => item.id === 'npu-health')?.evidence).toMatch(/Alarm/);
  });

  it('shows a fix exactly as it will run, runs it, and checks again', async () => {
    await bad.setSwitch('ipForward', 0);
    const [before] = await wizard.check(['host-bad-001'], 'environment', params);
    expect(before?.items.find((item) => item.id === 'ip-forward')?.status).toBe('fail');
    const preview = wizard.previewFix('environment', 'ip-forward', params);
    expect(preview.commands.join('\n')).toMatch(/sysctl/);
    const outcome = await wizard.runFix('host-bad-001', 'environment', 'ip-forward', params);
    expect(outcome.runs.map((run) => run.command)).toEqual(preview.commands.slice(0, outcome.runs.length));
    expect(outcome.recheck?.id).toBe('ip-forward');
  });

  it('reports an unreachable host instead of failing the others', async () => {
    const results = await wizard.check(['host-good-01', 'host-none-01'], 'environment', params);
    expect(results[0]?.error).toBeNull();
    expect(results[1]?.error).toMatch(/no session/);
  });
});
