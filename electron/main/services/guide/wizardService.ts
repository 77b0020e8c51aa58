import { NO_CONTEXT, NO_INPUTS } from '../../../../shared/guide/actionInputs';
import { defaultDockerRunOptions } from '../../../../shared/guide/dockerRunForm';
import type { DockerRunOptions } from '../../../../shared/guide/dockerRunForm';
import type { FieldError } from '../../../../shared/guide/fieldRules';
import type { ActionProgress, CommandOutput, FixContext, Guide, GuideItem, GuideStep, ItemFix, ProgressReader } from '../../../../shared/guide/guideTypes';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import { checkStep, inItemScope } from '../../../../shared/guide/preflight';
import type { ActionEvent, ActionOutcome, ActionPreview, ActionRecord, ActionRef, ActionRequest, GuideView, HostCheckResult, ItemResult, StopRequest, StopResult, WizardProgress } from '../../../../shared/guide/wizardApi';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import type { LocalizedText } from '../../../../shared/i18n/localizedText';
import type { RemoteCommand } from '../../../../shared/remote/remoteCommand';
import type { SshSession } from '../ssh/sshSession';
import type { UploadPlan } from '../../../../shared/dataset/workspaceApi';
import type { DatasetUploadRequest } from '../../../../shared/guide/datasetItems';
import { DATA_DIR, inContainer } from '../../../../shared/guide/workPaths';
import { STOP_GRACE_SECONDS, parseStopOutput, stopCommand } from '../../../../shared/guide/trainingStatus';
import { diffLines } from '../../../../shared/text/lineDiff';
import { hostUpload, sendDataset } from './datasetUpload';
import { gatherStepOutputs } from './stepRunner';
import { runStreaming } from './streamingRun';
import { WizardProgressStore } from './wizardProgressStore';

const FIX_TIMEOUT_MS = 10 * 60_000;
const PRECHECK_TIMEOUT_MS = 60_000;
/** Progress reaches the window at most this often: a pty redraws far faster than anyone reads. */
const PROGRESS_INTERVAL_MS = 250;
/** Output kept uncompacted before a progress reader shrinks it. */
const COMPACT_AT_CHARS = 256 * 1024;

export function guideView(guide: Guide): GuideView {
  return {
    id: guide.id,
    version: guide.version,
    title: guide.title,
    defaults: guide.defaults,
    dockerRun: defaultDockerRunOptions(guide.dockerRun),
    steps: guide.steps.map((step) => ({
      id: step.id,
      title: step.title,
      summary: step.summary,
      items: step.items.map((item) => ({
        id: item.id,
        title: item.title,
        explanation: item.explanation,
        scope: item.scope,
        fix: item.fix ? { explanation: item.fix.explanation, confirm: item.fix.confirm, label: item.fix.label ?? null } : null,
      })),
    })),
  };
}

export interface WizardServiceOptions {
  /** Where each host's answers, results and actions are kept; in memory when absent. */
  store?: WizardProgressStore;
  /** Receives every state change and output of a running action. */
  onActionEvent?: (event: ActionEvent) => void;
  /** Step 5: the dataset builder's plan for uploading an open dataset into `targetDir`. */
  planDataset?: (workspaceId: string, targetDir: string) => UploadPlan;
}

/** Step 5's upload is recorded like an action of its one item. */
const DATASET_STEP = 'dataset';
const DATASET_ITEM = 'dataset';
/** Step 6's run item: its Stop runs where its launch did. */
const TRAINING_STEP = 'training';
const RUN_ITEM = 'run';
/** The stop waits up to STOP_GRACE_SECONDS before KILL; this leaves room for a slow link. */
const STOP_TIMEOUT_MS = (STOP_GRACE_SECONDS + 45) * 1000;

function failureOf(fix: ItemFix, output: CommandOutput & { timedOut: boolean }, timeoutMs: number): LocalizedText {
  if (output.timedOut) {
    const minutes = Math.round(timeoutMs / 60_000);
    return { zh: `命令在 ${minutes} 分钟后超时，已停止。`, en: `The command timed out after ${minutes} minutes and was stopped.` };
  }
  const described = fix.describeFailure?.(output);
  if (described) return described;
  if (output.code === null) return { zh: '命令没有退出码就结束了（连接可能已断开）。', en: 'The command ended without an exit status (the connection may have dropped).' };
  return { zh: `命令失败（退出码 ${output.code}）。`, en: `The command failed (exit status ${output.code}).` };
}

const textOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs the guide's checks, fixes and actions on connected hosts: a step's checks on every
 * selected host in parallel (one command at a time per host), a fix or action only as the exact
 * commands the user saw, and a long action (a pull) with its progress streamed as it goes.
 */
export class WizardService {
  private readonly store: WizardProgressStore;
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly guide: Guide,
    private readonly session: (hostId: HostId) => Promise<SshSession>,
    private readonly options: WizardServiceOptions = {},
  ) {
    this.store = options.store ?? new WizardProgressStore();
  }

  view(): GuideView {
    return guideView(this.guide);
  }

  progress(): Promise<WizardProgress> {
    return this.store.snapshot();
  }

  check(hostIds: HostId[], stepId: string, params: GuideParams): Promise<HostCheckResult[]> {
    const step = this.step(stepId);
    return Promise.all(
      hostIds.map(async (hostId) => {
        const result = await this.checkHost(hostId, step, params);
        await this.store.recordAnswers(hostId, params, null);
        await this.store.recordResults(hostId, stepId, result, 'step');
        return result;
      }),
    );
  }

  previewFix(stepId: string, itemId: string, params: GuideParams): { commands: string[]; confirm: boolean } {
    const { item, fix } = this.fixable(stepId, itemId);
    return { commands: this.fixCommands(item, params, this.defaultOptions(), NO_CONTEXT).map((command) => command.text), confirm: fix.confirm };
  }

  async runFix(hostId: HostId, stepId: string, itemId: string, params: GuideParams) {
    const { item, fix } = this.fixable(stepId, itemId);
    const session = await this.session(hostId);
    const runs = [];
    for (const command of this.fixCommands(item, params, this.defaultOptions(), NO_CONTEXT)) {
      const result = await session.run(command, { timeoutMs: FIX_TIMEOUT_MS });
      runs.push({ command: command.text, stdout: result.stdout, stderr: result.stderr, code: result.code });
      // A failed step of a fix stops it: later commands assume the earlier ones worked.
      if (result.code !== 0) break;
    }
    const recheck = fix.recheck ? ((await this.recheck(hostId, stepId, [itemId], params))[0] ?? null) : null;
    return { runs, recheck };
  }

  /** The exact commands, after the server's state was read: what refuses them is said before anything runs. */
  async previewAction(request: ActionRequest): Promise<ActionPreview> {
    const { item, fix } = this.fixable(request.stepId, request.itemId);
    await this.store.recordAnswers(request.hostId, request.params, request.options);
    const { errors, context } = await this.precheck(await this.session(request.hostId), item, fix, request);
    const commands = errors.length > 0 ? [] : this.fixCommands(item, request.params, request.options, context).map((command) => command.text);
    const changes = errors.length > 0 || !fix.changes ? [] : fix.changes(request.params, context).map((change) => ({ path: change.path, hunks: diffLines(change.before, change.after).map((hunk) => ({ ...hunk, lines: [...hunk.lines] })) }));
    return { commands, confirm: fix.confirm, errors: [...errors], ...(fix.changes ? { changes } : {}) };
  }

  /** Step 6's Stop on one node, exactly as it will run. */
  previewStop(request: StopRequest): { command: string } {
    return { command: this.stopCommandOf(request).text };
  }

  /** Ends the run on one node (TERM, then KILL after the grace period); the caller checks the step again. */
  async stopTraining(request: StopRequest): Promise<StopResult> {
    const result = await (await this.session(request.hostId)).run(this.stopCommandOf(request), { timeoutMs: STOP_TIMEOUT_MS });
    return { ...parseStopOutput(result.stdout), code: result.code, stderr: result.stderr };
  }

  /** Checks again, runs the commands one by one (streaming), then checks the items the action changed. */
  async runAction(request: ActionRequest): Promise<ActionOutcome> {
    const { hostId, stepId, itemId, params, options } = request;
    const { item, fix } = this.fixable(stepId, itemId);
    const key = actionKey(request);
    if (this.running.has(key)) throw new Error(`${itemId} is already running on this host.`);
    const controller = new AbortController();
    this.running.set(key, controller);
    let record: ActionRecord = { stepId, itemId, state: 'running', startedAt: Date.now(), finishedAt: null, commands: [], progress: null, failure: null, errors: [] };
    const runs: ActionOutcome['runs'] = [];
    try {
      await this.store.recordAnswers(hostId, params, options);
      const session = await this.session(hostId);
      const { errors, context } = await this.precheck(session, item, fix, request);
      if (errors.length > 0) {
        record = { ...record, state: 'refused', finishedAt: Date.now(), errors: [...errors] };
        await this.finish(hostId, record, []);
        return { ...record, runs, recheck: [] };
      }
      const planned = this.fixCommands(item, params, options, context);
      if (request.confirmed && !sameTexts(request.confirmed, planned)) {
        record = { ...record, state: 'refused', finishedAt: Date.now(), errors: [changedSincePreview] };
        await this.finish(hostId, record, []);
        return { ...record, runs, recheck: [] };
      }
      record = { ...record, commands: planned.map((command) => command.text) };
      await this.report(hostId, record, null, true);
      const timeoutMs = fix.timeoutMs ?? FIX_TIMEOUT_MS;
      for (const [index, command] of planned.entries()) {
        const result = await runWithProgress(session, command, fix.progress, timeoutMs, controller.signal, {
          progress: (progress) => {
            record = { ...record, progress: { ...progress, parts: [...progress.parts], lines: [...progress.lines] } };
            void this.report(hostId, record, null, false);
          },
          text: (text) => void this.report(hostId, record, { command: index, text }, false),
        });
        runs.push({ command: command.text, stdout: result.stdout, stderr: result.stderr, code: result.code });
        if (result.cancelled) {
          record = { ...record, state: 'cancelled' };
          break;
        }
        if (result.code !== 0) {
          record = { ...record, state: 'failed', failure: failureOf(fix, result, timeoutMs) };
          break;
        }
      }
      if (record.state === 'running') record = { ...record, state: 'done' };
    } catch (error) {
      record = { ...record, state: 'failed', failure: { zh: textOf(error), en: textOf(error) } };
    } finally {
      this.running.delete(key);
    }
    // Checked again whatever happened: a cancelled pull or a failed run changes the server too.
    const recheck = fix.recheck && record.state !== 'refused' ? await this.recheck(hostId, stepId, [itemId, ...(fix.alsoRecheck ?? [])], params) : [];
    record = { ...record, finishedAt: Date.now() };
    await this.finish(hostId, record, recheck);
    return { ...record, runs, recheck };
  }

  /**
   * Step 5: the dataset and its images (the builder's plan) into the container's data folder,
   * progress reported as the item's action, then the item checked again.
   */
  async uploadDataset(request: DatasetUploadRequest): Promise<ActionOutcome> {
    const { hostId, params } = request;
    const ref = { hostId, stepId: DATASET_STEP, itemId: DATASET_ITEM };
    const key = actionKey(ref);
    if (this.running.has(key)) throw new Error('A dataset upload is already running on this host.');
    if (!this.options.planDataset) throw new Error('The dataset builder is not available here.');
    const controller = new AbortController();
    this.running.set(key, controller);
    let record: ActionRecord = { stepId: DATASET_STEP, itemId: DATASET_ITEM, state: 'running', startedAt: Date.now(), finishedAt: null, commands: [], progress: null, failure: null, errors: [] };
    try {
      await this.store.recordAnswers(hostId, params, null);
      const plan = this.options.planDataset(request.workspaceId, inContainer(params, DATA_DIR));
      const { upload, errors } = hostUpload(plan, params);
      if (!upload) {
        record = { ...record, state: 'refused', finishedAt: Date.now(), errors };
        await this.finish(hostId, record, []);
        return { ...record, runs: [], recheck: [] };
      }
      await this.report(hostId, record, null, true);
      await sendDataset(
        await this.session(hostId),
        upload,
        plan.datasetText,
        (done, total, file) => {
          record = { ...record, progress: { fraction: done / total, parts: [], lines: [file] } };
          void this.report(hostId, record, null, false);
        },
        controller.signal,
      );
      record = { ...record, state: 'done' };
    } catch (error) {
      record = { ...record, state: controller.signal.aborted ? 'cancelled' : 'failed', failure: controller.signal.aborted ? null : { zh: textOf(error), en: textOf(error) } };
    } finally {
      this.running.delete(key);
    }
    const recheck = await this.recheck(hostId, DATASET_STEP, [DATASET_ITEM], params);
    record = { ...record, finishedAt: Date.now() };
    await this.finish(hostId, record, recheck);
    return { ...record, runs: [], recheck };
  }

  cancelAction(ref: ActionRef): void {
    this.running.get(actionKey(ref))?.abort();
  }

  /** The precheck's verdict, and what it read: the commands may be built from it (a script edited from its current text). */
  private async precheck(session: SshSession, item: GuideItem, fix: ItemFix, request: ActionRequest): Promise<{ errors: readonly FieldError[]; context: FixContext }> {
    const inputs = request.inputs ?? NO_INPUTS;
    if (!fix.precheck) return { errors: [], context: { inputs, precheck: [] } };
    const outputs: CommandOutput[] = [];
    for (const command of inItemScope(item, request.params, fix.precheck.commands(request.params, inputs))) {
      const result = await session.run(command, { timeoutMs: PRECHECK_TIMEOUT_MS });
      outputs.push({ stdout: result.stdout, stderr: result.stderr, code: result.code });
    }
    return { errors: fix.precheck.validate(outputs, request.params, request.options, inputs), context: { inputs, precheck: outputs } };
  }

  private async recheck(hostId: HostId, stepId: string, itemIds: readonly string[], params: GuideParams): Promise<ItemResult[]> {
    const step = this.step(stepId);
    const result = await this.checkHost(hostId, { ...step, items: step.items.filter((item) => itemIds.includes(item.id)) }, params);
    await this.store.recordResults(hostId, stepId, result, 'items');
    return result.items;
  }

  private async report(hostId: HostId, action: ActionRecord, chunk: ActionEvent['chunk'], persist: boolean): Promise<void> {
    this.options.onActionEvent?.({ hostId, action, chunk, recheck: [] });
    await this.store.recordAction(hostId, action, persist);
  }

  private async finish(hostId: HostId, action: ActionRecord, recheck: ItemResult[]): Promise<void> {
    this.options.onActionEvent?.({ hostId, action, chunk: null, recheck });
    await this.store.recordAction(hostId, action, true);
  }

  private async checkHost(hostId: HostId, step: GuideStep, params: GuideParams): Promise<HostCheckResult> {
    try {
      const outputs = await gatherStepOutputs(await this.session(hostId), step, params);
      const items: ItemResult[] = checkStep(step, params, outputs).map(({ id, result }) => ({ id, status: result.status, summary: result.summary, evidence: result.evidence, ...(result.facts ? { facts: { ...result.facts } } : {}) }));
      return { hostId, checkedAt: Date.now(), items, error: null };
    } catch (error) {
      return { hostId, checkedAt: Date.now(), items: [], error: textOf(error) };
    }
  }

  private defaultOptions(): DockerRunOptions {
    return defaultDockerRunOptions(this.guide.dockerRun);
  }

  private stopCommandOf(request: StopRequest): RemoteCommand {
    const [command] = inItemScope(this.item(TRAINING_STEP, RUN_ITEM), request.params, [stopCommand(request.params)]);
    if (!command) throw new Error('No stop command');
    return command;
  }

  private fixCommands(item: GuideItem, params: GuideParams, options: DockerRunOptions, context: FixContext): RemoteCommand[] {
    return inItemScope(item, params, item.fix?.commands(params, options, context) ?? []);
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

const changedSincePreview: FieldError = {
  field: '',
  message: { zh: '自你查看之后服务器上的内容已改变，命令也随之不同：请重新查看再运行。', en: 'The server changed since you looked, so the commands differ from the ones shown: look at them again before running.' },
};

function sameTexts(confirmed: readonly string[], planned: readonly RemoteCommand[]): boolean {
  return confirmed.length === planned.length && planned.every((command, index) => command.text === confirmed[index]);
}

function actionKey(ref: ActionRef): string {
  return `${ref.hostId}\n${ref.stepId}\n${ref.itemId}`;
}

interface RunListeners {
  progress(progress: ActionProgress): void;
  text(text: string): void;
}

/**
 * One command of an action. With a progress reader its output becomes progress (at most every
 * PROGRESS_INTERVAL_MS, and once at the end), compacted as it grows; without, it streams as text.
 */
async function runWithProgress(session: SshSession, command: RemoteCommand, reader: ProgressReader | undefined, timeoutMs: number, signal: AbortSignal, listeners: RunListeners) {
  if (!reader) return runStreaming(session, command, { timeoutMs, signal, onText: listeners.text });
  let text = '';
  let compactedLength = 0;
  let shownAt = 0;
  const show = () => {
    shownAt = Date.now();
    listeners.progress(reader.read(text));
  };
  const result = await runStreaming(session, command, {
    timeoutMs,
    signal,
    onText: (chunk) => {
      text += chunk;
      if (text.length - compactedLength > COMPACT_AT_CHARS) {
        text = reader.compact(text);
        compactedLength = text.length;
      }
      if (Date.now() - shownAt >= PROGRESS_INTERVAL_MS) show();
    },
  });
  show();
  // The redraws say nothing the compacted text does not.
  return { ...result, stdout: reader.compact(text) };
}
