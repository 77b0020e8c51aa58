import type { CheckResult, CommandOutput } from './guideTypes';

const NO_OUTPUT: CommandOutput = { stdout: '', stderr: '', code: null };

/** A parser may be handed fewer outputs than it has commands (a run cut short): those read as nothing. */
export function outputAt(outputs: readonly CommandOutput[], index: number): CommandOutput {
  return outputs[index] ?? NO_OUTPUT;
}

/** The first non-empty lines of stderr then stdout: what to show when a command failed for an unknown reason. */
export function failureText(output: CommandOutput): string {
  return `${output.stderr}\n${output.stdout}`
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(0, 5)
    .join('\n');
}

export function notRun(): CheckResult {
  return {
    status: 'fail',
    summary: { zh: '未检查：命令没有运行。', en: 'Not checked: the command did not run.' },
    evidence: '',
  };
}
