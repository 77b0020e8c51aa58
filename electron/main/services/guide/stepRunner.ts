import type { GuideParams } from '../../../../shared/guide/guideParams';
import type { CommandOutput, GuideStep } from '../../../../shared/guide/guideTypes';
import { runPreflightChecks, stepCommands } from '../../../../shared/guide/preflight';
import type { PreflightReport } from '../../../../shared/guide/preflight';
import type { SshSession } from '../ssh/sshSession';

/** A check command that hangs (a wedged driver, a dead docker socket) must not stall the step. */
const COMMAND_TIMEOUT_MS = 60_000;

/**
 * Runs a step's check commands on one host, one after the other (npu-smi must never run twice at
 * once on a host), and collects what each printed, keyed by command text as the parsers expect.
 */
export async function gatherStepOutputs(session: SshSession, step: GuideStep, params: GuideParams, signal?: AbortSignal): Promise<Map<string, CommandOutput>> {
  const outputs = new Map<string, CommandOutput>();
  for (const command of stepCommands(step, params)) {
    const result = await session.run(command, { timeoutMs: COMMAND_TIMEOUT_MS, signal });
    outputs.set(command.text, { stdout: result.stdout, stderr: result.timedOut ? `${result.stderr}\n(timed out after ${COMMAND_TIMEOUT_MS / 1000} s)` : result.stderr, code: result.code });
  }
  return outputs;
}

export async function preflightHost(session: SshSession, step: GuideStep, params: GuideParams, signal?: AbortSignal): Promise<PreflightReport> {
  return runPreflightChecks(step, params, await gatherStepOutputs(session, step, params, signal));
}
