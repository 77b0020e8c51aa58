import type { Guide, GuideItem, GuideStep } from '../../../../shared/guide/guideTypes';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import { checkStep, inItemScope } from '../../../../shared/guide/preflight';
import type { GuideView, HostCheckResult, ItemResult } from '../../../../shared/guide/wizardApi';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import type { RemoteCommand } from '../../../../shared/remote/remoteCommand';
import type { SshSession } from '../ssh/sshSession';
import { gatherStepOutputs } from './stepRunner';

const FIX_TIMEOUT_MS = 10 * 60_000;

export function guideView(guide: Guide): GuideView {
  return {
    id: guide.id,
    version: guide.version,
    title: guide.title,
    defaults: guide.defaults,
    steps: guide.steps.map((step) => ({
      id: step.id,
      title: step.title,
      summary: step.summary,
      items: step.items.map((item) => ({
        id: item.id,
        title: item.title,
        explanation: item.explanation,
        scope: item.scope,
        fix: item.fix ? { explanation: item.fix.explanation, confirm: item.fix.confirm } : null,
      })),
    })),
  };
}

/**
 * Runs the guide's checks and fixes on connected hosts: a step's checks on every selected host in
 * parallel (one command at a time per host), a fix only as the exact commands the user saw.
 */
export class WizardService {
  constructor(
    private readonly guide: Guide,
    private readonly session: (hostId: HostId) => Promise<SshSession>,
  ) {}

  view(): GuideView {
    return guideView(this.guide);
  }

  check(hostIds: HostId[], stepId: string, params: GuideParams): Promise<HostCheckResult[]> {
    const step = this.step(stepId);
    return Promise.all(hostIds.map((hostId) => this.checkHost(hostId, step, params)));
  }

  previewFix(stepId: string, itemId: string, params: GuideParams): { commands: string[]; confirm: boolean } {
    const { fix } = this.fixable(stepId, itemId);
    return { commands: this.fixCommands(this.item(stepId, itemId), params).map((command) => command.text), confirm: fix.confirm };
  }

  async runFix(hostId: HostId, stepId: string, itemId: string, params: GuideParams) {
    const { item, fix } = this.fixable(stepId, itemId);
    const session = await this.session(hostId);
    const runs = [];
    for (const command of this.fixCommands(item, params)) {
      const result = await session.run(command, { timeoutMs: FIX_TIMEOUT_MS });
      runs.push({ command: command.text, stdout: result.stdout, stderr: result.stderr, code: result.code });
      // A failed step of a fix stops it: later commands assume the earlier ones worked.
      if (result.code !== 0) break;
    }
    const recheck = fix.recheck ? ((await this.checkHost(hostId, { ...this.step(stepId), items: [item] }, params)).items[0] ?? null) : null;
    return { runs, recheck };
  }

  private async checkHost(hostId: HostId, step: GuideStep, params: GuideParams): Promise<HostCheckResult> {
    try {
      const outputs = await gatherStepOutputs(await this.session(hostId), step, params);
      const items: ItemResult[] = checkStep(step, params, outputs).map(({ id, result }) => ({ id, status: result.status, summary: result.summary, evidence: result.evidence }));
      return { hostId, checkedAt: Date.now(), items, error: null };
    } catch (error) {
      return { hostId, checkedAt: Date.now(), items: [], error: error instanceof Error ? error.message : String(error) };
    }
  }

  private fixCommands(item: GuideItem, params: GuideParams): RemoteCommand[] {
    return inItemScope(item, params, item.fix?.commands(params) ?? []);
  }

  private step(stepId: string): GuideStep {
    const step = this.guide.steps.find((candidate) => candidate.id === stepId);
    if (!step) throw new RangeError(`No step ${stepId} in the guide`);
    return step;
  }

  private item(stepId: string, itemId: string): GuideItem {
    const item = this.step(stepId).items.find((candidate) => candidate.id === itemId);
    if (!item) throw new RangeError(`No item ${itemId} in step ${stepId}`);
    return item;
  }

  private fixable(stepId: string, itemId: string) {
    const item = this.item(stepId, itemId);
    if (!item.fix) throw new RangeError(`${itemId} has no fix`);
    return { item, fix: item.fix };
  }
}
