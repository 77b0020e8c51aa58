/**
 * A step's checks as one plan and one report, with no I/O: the caller runs `stepCommands` (one
 * after the other: npu-smi must never run twice at once) and hands back what each printed, keyed by
 * command text. Items that read the same command share its single run.
 */
import { dockerExec } from '../remote/remoteCommand';
import type { RemoteCommand } from '../remote/remoteCommand';
import { notRun } from './checkOutputs';
import type { GuideParams } from './guideParams';
import type { CheckResult, CheckStatus, CommandOutput, GuideItem, GuideStep } from './guideTypes';
import { NPU_SMI_INFO, NPU_SMI_LIST, parseNpuSmiInfo, parseNpuSmiList } from './npuSmi';
import { classifyNpuSmiError } from './npuSmiErrors';

/** Commands as they run for an item: container items go through docker exec into the guide's container. */
export function inItemScope(item: GuideItem, params: GuideParams, commands: readonly RemoteCommand[]): RemoteCommand[] {
  return item.scope === 'container' ? commands.map((command) => dockerExec(params.containerName, command)) : [...commands];
}

/** An item's check commands as they run. */
export function itemCommands(item: GuideItem, params: GuideParams): RemoteCommand[] {
  return inItemScope(item, params, item.check.commands(params));
}

/** Every distinct command of the step, in item order. */
export function stepCommands(step: GuideStep, params: GuideParams): RemoteCommand[] {
  const seen = new Map<string, RemoteCommand>();
  for (const item of step.items) {
    for (const command of itemCommands(item, params)) if (!seen.has(command.text)) seen.set(command.text, command);
  }
  return [...seen.values()];
}

export type CommandOutputs = ReadonlyMap<string, CommandOutput>;

export function checkItem(item: GuideItem, params: GuideParams, outputs: CommandOutputs): CheckResult {
  const gathered = itemCommands(item, params).map((command) => outputs.get(command.text));
  if (gathered.some((output) => output === undefined)) return notRun();
  return item.check.parse(
    gathered.filter((output): output is CommandOutput => output !== undefined),
    params,
  );
}

export interface ItemOutcome {
  readonly id: string;
  readonly result: CheckResult;
}

export function checkStep(step: GuideStep, params: GuideParams, outputs: CommandOutputs): ItemOutcome[] {
  return step.items.map((item) => ({ id: item.id, result: checkItem(item, params, outputs) }));
}

export interface PreflightNpu {
  readonly index: number;
  readonly chip: number | null;
  readonly name: string;
  readonly health: string;
  readonly hbmUsedMB: number | null;
  readonly hbmTotalMB: number | null;
  readonly processes: readonly { readonly pid: number; readonly name: string; readonly memoryMB: number | null }[];
}

/** What `qvl preflight --json` prints per host. */
export interface PreflightReport {
  /** No check failed (warnings allowed). */
  readonly ok: boolean;
  /** "Total Count" of `npu-smi info -l`. */
  readonly npuTotal: number | null;
  readonly driverVersion: string | null;
  readonly npus: readonly PreflightNpu[];
  readonly checks: readonly { readonly id: string; readonly status: CheckStatus; readonly summary: string }[];
}

function usableOutput(outputs: CommandOutputs, command: RemoteCommand): string | null {
  const output = outputs.get(command.text);
  if (!output || classifyNpuSmiError(output.stdout, output.stderr, output.code)) return null;
  return output.stdout;
}

export function runPreflightChecks(step: GuideStep, params: GuideParams, outputs: CommandOutputs): PreflightReport {
  const outcomes = checkStep(step, params, outputs);
  const infoText = usableOutput(outputs, NPU_SMI_INFO);
  const listText = usableOutput(outputs, NPU_SMI_LIST);
  const info = infoText === null ? null : parseNpuSmiInfo(infoText);
  const npus = (info?.cards ?? []).map((card) => ({
    index: card.npu,
    chip: card.chip,
    name: card.name,
    health: card.health,
    hbmUsedMB: card.hbmMB?.used ?? null,
    hbmTotalMB: card.hbmMB?.total ?? null,
    processes: (info?.processes ?? [])
      .filter((process) => process.npu === card.npu && process.chip === card.chip)
      .map((process) => ({ pid: process.pid, name: process.name, memoryMB: process.memoryMB })),
  }));
  return {
    ok: outcomes.every((outcome) => outcome.result.status !== 'fail'),
    npuTotal: listText === null ? null : parseNpuSmiList(listText).totalCount,
    driverVersion: info?.driverVersion ?? null,
    npus,
    checks: outcomes.map((outcome) => ({ id: outcome.id, status: outcome.result.status, summary: outcome.result.summary.en })),
  };
}
