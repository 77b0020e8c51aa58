import type { LocalizedText } from '../i18n/localizedText';
import type { RemoteCommand } from '../remote/remoteCommand';
import type { DockerRunDefaults, DockerRunOptions } from './dockerRunForm';
import type { ActionInputs } from './actionInputs';
import type { FieldError } from './fieldRules';
import type { GuideParams, ParamId } from './guideParams';

/** What one remote command gave back; `code` is null when it ended by a signal or never ran. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  readonly status: CheckStatus;
  readonly summary: LocalizedText;
  /** The output lines that decided the status, as the server printed them. */
  readonly evidence: string;
  readonly data?: unknown;
  /** Values the window acts on (a run's log path, a script's current settings), as plain strings. */
  readonly facts?: Readonly<Record<string, string>>;
}

export interface ItemCheck {
  /** Run one after the other; `parse` gets one output per command, in the same order. */
  readonly commands: (params: GuideParams) => readonly RemoteCommand[];
  /** Pure: the same outputs always give the same result. */
  readonly parse: (outputs: readonly CommandOutput[], params: GuideParams) => CheckResult;
}

/** How far a long action has got, from what its command printed so far. */
export interface ActionProgress {
  /** 0 to 1. */
  readonly fraction: number;
  /** Parts that advance on their own (image layers), in the order they appeared. */
  readonly parts: readonly ProgressPart[];
  /** The last lines that are not progress (registry, digest, outcome, errors). */
  readonly lines: readonly string[];
}

export interface ProgressPart {
  readonly id: string;
  readonly status: LocalizedText;
  /** 0 to 1. */
  readonly fraction: number;
  /** Bytes of the current phase, when the command prints them. */
  readonly current: number | null;
  readonly total: number | null;
}

/** Reads a long action's progress from its output, which can run to megabytes. */
export interface ProgressReader {
  /** Pure: the progress `textSoFar` shows. */
  readonly read: (textSoFar: string) => ActionProgress;
  /** Less text that reads as the same progress, so the output kept stays small however long the action runs. */
  readonly compact: (textSoFar: string) => string;
}

/**
 * What the server must agree with before a fix may run (a card another container holds, a name
 * already taken): its commands only read, and any error refuses the fix before anything changes.
 */
export interface ItemPrecheck {
  readonly commands: (params: GuideParams, inputs: ActionInputs) => readonly RemoteCommand[];
  readonly validate: (outputs: readonly CommandOutput[], params: GuideParams, options: DockerRunOptions, inputs: ActionInputs) => readonly FieldError[];
}

/**
 * What an action's commands may depend on besides the answers: the form of its step (training's
 * settings) and what the precheck read (a script edited from its current text, never a guess).
 */
export interface FixContext {
  readonly inputs: ActionInputs;
  /** The precheck's outputs, in its commands' order; empty without a precheck. */
  readonly precheck: readonly CommandOutput[];
}

/** A file an action rewrites: its text as read just now, and as the action will write it. */
export interface FileChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

/**
 * A fix, or an action the guide asks for (pull the image, start the container). `options` are the
 * container's settings of the guide's `docker run` form; fixes of other items ignore them.
 */
export interface ItemFix {
  readonly explanation: LocalizedText;
  /** The button's words, when "Fix" would not say what it does. */
  readonly label?: LocalizedText;
  /** Shown exactly as they will run, before the user agrees. */
  readonly commands: (params: GuideParams, options: DockerRunOptions, context: FixContext) => readonly RemoteCommand[];
  /** For a fix that rewrites files: each one before and after, shown as a diff before the user agrees (equal when nothing changes). */
  readonly changes?: (params: GuideParams, context: FixContext) => readonly FileChange[];
  /** True when the fix changes the server (packages, system files, firewall, a started container). */
  readonly confirm: boolean;
  /** The item's check runs again after the fix. */
  readonly recheck: boolean;
  /** Other items of the step the fix changes, checked again with it (a started container's npu-smi). */
  readonly alsoRecheck?: readonly string[];
  readonly precheck?: ItemPrecheck;
  /** For a long action: its output becomes progress instead of streaming as text. */
  readonly progress?: ProgressReader;
  /** Why a command of the fix failed, in words the user can act on; null when its output says nothing known. */
  readonly describeFailure?: (output: CommandOutput) => LocalizedText | null;
  /** How long one of its commands may run; the default suits a quick fix. */
  readonly timeoutMs?: number;
}

export interface GuideItem {
  readonly id: string;
  readonly title: LocalizedText;
  /** The guide's own words for what this item is and why. */
  readonly explanation: LocalizedText;
  /** Where the commands run: on the server, or inside the container through docker exec. */
  readonly scope: 'host' | 'container';
  readonly params: readonly ParamId[];
  readonly check: ItemCheck;
  readonly fix?: ItemFix;
}

export interface GuideStep {
  readonly id: string;
  readonly title: LocalizedText;
  readonly summary: LocalizedText;
  readonly items: readonly GuideItem[];
}

/** A ModelArts guide as data: adding another guide with the same skeleton adds a file like modelartsQwenVl6310.ts. */
export interface Guide {
  readonly id: string;
  readonly title: LocalizedText;
  readonly version: string;
  /** Values for the guide's `${…}` placeholders until the user gives their own. */
  readonly defaults: GuideParams;
  /** What the guide's `docker run` fixes: cards, shm, network, system mounts. */
  readonly dockerRun: DockerRunDefaults;
  readonly steps: readonly GuideStep[];
}
