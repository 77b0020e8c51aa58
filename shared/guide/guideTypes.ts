import type { LocalizedText } from '../i18n/localizedText';
import type { RemoteCommand } from '../remote/remoteCommand';
import type { DockerRunDefaults } from './dockerRunForm';
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
}

export interface ItemCheck {
  /** Run one after the other; `parse` gets one output per command, in the same order. */
  readonly commands: (params: GuideParams) => readonly RemoteCommand[];
  /** Pure: the same outputs always give the same result. */
  readonly parse: (outputs: readonly CommandOutput[], params: GuideParams) => CheckResult;
}

export interface ItemFix {
  readonly explanation: LocalizedText;
  /** Shown exactly as they will run, before the user agrees. */
  readonly commands: (params: GuideParams) => readonly RemoteCommand[];
  /** True when the fix changes the server (packages, system files, firewall). */
  readonly confirm: boolean;
  /** The item's check runs again after the fix. */
  readonly recheck: boolean;
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
